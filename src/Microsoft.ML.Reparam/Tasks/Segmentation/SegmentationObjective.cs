using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks.Segmentation;

/// <summary>
/// Per-pixel cross-entropy on logits [n, K, H, W] against class ids [n, H, W] (optionally class-weighted; ignored
/// pixels count in neither loss nor metric); metric: mean IoU over the classes present.
/// </summary>
internal sealed class SegmentationObjective(int classCount, float[]? classWeights) : ITrainingObjective
{
    public string MetricName => "mean IoU";

    public bool HigherIsBetter => true;

    /// <summary>
    /// The weighted mean Σ w(t)·ℓ / Σ w(t) over counted pixels, as PyTorch's mean reduction, but 0 (not NaN) for a batch
    /// with no counted pixel (every pixel ignored, or every weight 0). Runs inside the batch's dispose scope.
    /// </summary>
    public Tensor Loss(Tensor output, Tensor target)
    {
        var weights = classWeights is null ? null : tensor(classWeights, device: output.device);
        var sum = nn.functional.cross_entropy(output, target, weights, ignore_index: MaskTargets.Ignore, reduction: nn.Reduction.Sum);
        var counted = target.NotEqualTo(MaskTargets.Ignore);
        var total = weights is null
            ? counted.sum().to(output.dtype)
            : weights.index_select(0, target.Filled(counted.logical_not(), 0).flatten()).masked_select(counted.flatten()).sum();
        return sum / total.AtLeast(1e-12);
    }

    public IMetricAccumulator NewMetric() => new Confusion(classCount);

    /// <summary>The confusion matrix of the batches added; its metric is the mean IoU.</summary>
    internal sealed class Confusion(int classes) : IMetricAccumulator
    {
        private readonly long[] _confusion = new long[classes * classes];

        public double Value => Metrics.MeanIoU;

        public SegmentationMetrics Metrics => SegmentationMetrics.FromConfusion(_confusion, classes);

        public void Add(Tensor output, Tensor target)
        {
            using var scope = NewDisposeScope();
            var truth = target.flatten();
            var kept = truth.NotEqualTo(MaskTargets.Ignore);
            var pairs = truth.masked_select(kept).Times(classes).Plus(output.argmax(1).flatten().masked_select(kept));
            var counts = pairs.bincount(null, classes * classes).cpu().data<long>().ToArray();
            for (var i = 0; i < _confusion.Length; i++)
            {
                _confusion[i] += counts[i];
            }
        }
    }
}
