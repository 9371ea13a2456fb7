using Microsoft.ML.Reparam.Tasks.Segmentation;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Trains a U-Net of reparameterizable blocks for semantic segmentation with TorchSharp, folds it exactly into a plain
/// CNN, checks the fold and the ONNX export on held-back images, and returns a transformer that predicts a key-typed
/// mask through ONNX Runtime with stock ML.NET transformers.
/// </summary>
public sealed class ReparamSegmentationTrainer : IEstimator<ReparamSegmentationTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly ReparamSegmentationOptions _options;

    internal ReparamSegmentationTrainer(IHostEnvironment environment, ReparamSegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        OptionsCheck.Validate(options);
        SegmentationTask.Validate(options);
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains, folds, checks and exports.</summary>
    /// <param name="input">Training data with the image and mask columns.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the data is unusable (the message names the column, row and value).</exception>
    /// <exception cref="InvalidOperationException">The fold or the ONNX export is not exact within tolerance.</exception>
    public ReparamSegmentationTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var task = new SegmentationTask(_options);
        return new ReparamSegmentationTransformer(ReparamFit.Run(_environment, task, _options, input), task.ClassNames, _options);
    }

    /// <summary>Returns the input shape with the predicted-mask (and score) columns added.</summary>
    /// <param name="inputSchema">The input shape.</param>
    /// <returns>The output shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new SegmentationTask(_options).OutputSchema(inputSchema);
    }
}
