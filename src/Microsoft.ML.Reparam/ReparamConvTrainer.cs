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
    internal ReparamConvTrainer(IHostEnvironment environment, ReparamConvTrainerOptions options)
        : base(environment, options)
    {
        ClassificationTask.Validate(TaskOptions);
    }

    private ReparamConvTrainerOptions TaskOptions => (ReparamConvTrainerOptions)Options;

    private protected override ReparamTask CreateTask() => new ClassificationTask(TaskOptions);

    private protected override ReparamConvTransformer CreateTransformer(FitResult fit, ReparamTask task) =>
        new(fit, ((ClassificationTask)task).ClassNames, TaskOptions);
}
