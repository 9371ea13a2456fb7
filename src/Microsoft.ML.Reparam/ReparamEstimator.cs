using Microsoft.ML.Reparam.Tasks;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// What every Reparam trainer does: check its options when created, then on <see cref="Fit"/> read the images and
/// targets, train with TorchSharp, fold exactly into a plain CNN, check the fold and the ONNX export on held-back
/// images, and return a transformer that scores the plain CNN through ONNX Runtime with stock ML.NET transformers.
/// </summary>
/// <typeparam name="TTransformer">The fitted transformer.</typeparam>
public abstract class ReparamEstimator<TTransformer> : IEstimator<TTransformer>
    where TTransformer : ReparamTransformer
{
    private readonly IHostEnvironment _environment;

    private protected ReparamEstimator(IHostEnvironment environment, ReparamTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Snapshot();
        OptionsCheck.Validate(Options);
        _environment = environment;
    }

    /// <summary>Gets the trainer's own copy of the options, checked when it was made.</summary>
    private protected ReparamTrainerOptions Options { get; }

    /// <summary>Trains, folds, checks and exports.</summary>
    /// <param name="input">Training data with the image column and the task's target columns.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the data is unusable (the message names the column, row and value).</exception>
    /// <exception cref="InvalidOperationException">The fold or the ONNX export is not exact within tolerance.</exception>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var task = CreateTask();
        return CreateTransformer(ReparamFit.Run(_environment, task, Options, input), task);
    }

    /// <summary>Returns the input shape with the task's output columns added.</summary>
    /// <param name="inputSchema">The input shape.</param>
    /// <returns>The output shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return CreateTask().OutputSchema(inputSchema);
    }

    private protected abstract ReparamTask CreateTask();

    private protected abstract TTransformer CreateTransformer(FitResult fit, ReparamTask task);
}
