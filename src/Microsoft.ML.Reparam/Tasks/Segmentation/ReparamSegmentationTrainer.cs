using Microsoft.ML.Reparam.Tasks;
using Microsoft.ML.Reparam.Tasks.Segmentation;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Trains a U-Net of reparameterizable blocks for semantic segmentation on an image column and a mask column; the
/// fitted transformer adds a key-typed predicted-mask column (and optionally per-pixel scores).
/// </summary>
public sealed class ReparamSegmentationTrainer : ReparamEstimator<ReparamSegmentationTransformer>
{
    internal ReparamSegmentationTrainer(IHostEnvironment environment, ReparamSegmentationOptions options)
        : base(environment, options)
    {
        SegmentationTask.Validate(TaskOptions);
    }

    private ReparamSegmentationOptions TaskOptions => (ReparamSegmentationOptions)Options;

    private protected override ReparamTask CreateTask() => new SegmentationTask(TaskOptions);

    private protected override ReparamSegmentationTransformer CreateTransformer(FitResult fit, ReparamTask task) =>
        new(fit, ((SegmentationTask)task).ClassNames, TaskOptions);
}
