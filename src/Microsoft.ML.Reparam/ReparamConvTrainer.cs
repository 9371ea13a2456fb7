using Microsoft.ML.Reparam.Tasks;
using Microsoft.ML.Reparam.Tasks.Classification;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Trains a reparameterizable CNN image classifier (VGG-style or residual) on an image column and a key-typed label
/// column; the fitted transformer adds ML.NET's score and predicted-label columns.
/// </summary>
public sealed class ReparamConvTrainer : ReparamEstimator<ReparamConvTransformer>
{
    private readonly ReparamConvTrainerOptions _options;

    internal ReparamConvTrainer(IHostEnvironment environment, ReparamConvTrainerOptions options)
        : base(environment, options)
    {
        ClassificationTask.Validate(options);
        _options = options;
    }

    private protected override ReparamTask CreateTask() => new ClassificationTask(_options);

    private protected override ReparamConvTransformer CreateTransformer(FitResult fit, ReparamTask task) =>
        new(fit, ((ClassificationTask)task).ClassNames, _options);
}
