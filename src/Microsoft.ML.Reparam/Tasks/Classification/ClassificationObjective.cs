using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks.Classification;

/// <summary>Cross-entropy on logits [n, K] against class indices [n] (optionally label-smoothed); metric: accuracy.</summary>
internal sealed class ClassificationObjective(double labelSmoothing) : ITrainingObjective
{
    public string MetricName => "accuracy";

    public bool HigherIsBetter => true;

    public Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target, label_smoothing: labelSmoothing);

    public IMetricAccumulator NewMetric() => new Accuracy();

    private sealed class Accuracy : IMetricAccumulator
    {
        private long _correct;
        private long _count;

        public double Value => _count == 0 ? 0 : (double)_correct / _count;

        public void Add(Tensor output, Tensor target)
        {
            using var correct = output.argmax(1).eq(target).sum();
            _correct += correct.item<long>();
            _count += target.shape[0];
        }
    }
}
