using Microsoft.ML.Reparam.Data;
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

    /// <remarks>Runs inside the batch's dispose scope, which also frees the weight tensor after the backward pass.</remarks>
    public Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.cross_entropy(output, target, classWeights is null ? null : tensor(classWeights, device: output.device), ignore_index: MaskTargets.Ignore);

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
            var kept = truth.ne(MaskTargets.Ignore);
            var pairs = (truth.masked_select(kept) * classes) + output.argmax(1).flatten().masked_select(kept);
            var counts = pairs.bincount(null, classes * classes).cpu().data<long>().ToArray();
            for (var i = 0; i < _confusion.Length; i++)
            {
                _confusion[i] += counts[i];
            }
        }
    }
}
