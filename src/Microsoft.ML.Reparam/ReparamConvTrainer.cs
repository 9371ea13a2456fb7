using Microsoft.ML.Reparam.Tasks.Classification;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Trains a reparameterizable CNN image classifier with TorchSharp, folds it exactly into a plain CNN, checks the
/// fold and the ONNX export on held-back images, and returns a transformer that scores the plain CNN through
/// ONNX Runtime with stock ML.NET transformers.
/// </summary>
public sealed class ReparamConvTrainer : IEstimator<ReparamConvTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly ReparamConvTrainerOptions _options;

    internal ReparamConvTrainer(IHostEnvironment environment, ReparamConvTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        OptionsCheck.Validate(options);
        ClassificationTask.Validate(options);
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains, folds, checks and exports.</summary>
    /// <param name="input">Training data with the image and key label columns.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the data is unusable (the message names the column, row and value).</exception>
    /// <exception cref="InvalidOperationException">The fold or the ONNX export is not exact within tolerance.</exception>
    public ReparamConvTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var task = new ClassificationTask(_options);
        return new ReparamConvTransformer(ReparamFit.Run(_environment, task, _options, input), task.ClassNames, _options);
    }

    /// <summary>Returns the input shape with the score and predicted-label columns added.</summary>
    /// <param name="inputSchema">The input shape.</param>
    /// <returns>The output shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new ClassificationTask(_options).OutputSchema(inputSchema);
    }
}
