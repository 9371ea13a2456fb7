using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// The restoration loss and metric on the colour signal the network restores (luma, gray or RGB, of RGB batches in
/// [0, 1]): L1 or L2, and PSNR in dB averaged over images. A denoiser's noise is drawn here, per batch: σ/255 for every
/// image, or a σ drawn uniformly from a range for each image (a blind model). Gray and luma noise is added equally to R,
/// G and B (scaled by 255/219 for luma), which moves that signal by exactly σ and leaves the chroma alone.
/// </summary>
internal sealed class RestorationObjective(RestorationColor color, RestorationLoss loss, (float Min, float Max)? noiseLevel) : ITrainingObjective
{
    public string MetricName => "PSNR";

    public bool HigherIsBetter => true;

    public (Tensor Input, Tensor Target) Prepare(Tensor images, Tensor targets, Generator? generator)
    {
        if (noiseLevel is not { } level)
        {
            return (images, targets);
        }

        var count = images.shape[0];
        var sigma = level.Min == level.Max
            ? HeldArithmetic.Full([count, 1, 1, 1], level.Min / 255f, ScalarType.Float32, images.device)
            : rand([count, 1, 1, 1], generator: generator, device: images.device).Times(level.Max - level.Min).Plus(level.Min).DividedBy(255f);
        var noise = color switch
        {
            RestorationColor.Rgb => randn(images.shape, generator: generator, device: images.device),
            RestorationColor.Gray => randn([count, 1, images.shape[2], images.shape[3]], generator: generator, device: images.device),
            _ => randn([count, 1, images.shape[2], images.shape[3]], generator: generator, device: images.device).Times(1 / ColorOps.LumaWeights.Sum()),
        };
        return (images.Plus(noise * sigma), targets);
    }

    public Tensor Loss(Tensor output, Tensor target)
    {
        var difference = Signal(output) - Signal(target);
        return loss == RestorationLoss.L1 ? difference.abs().mean() : difference.Squared().mean();
    }

    public IMetricAccumulator NewMetric() => new PsnrMean(this);

    /// <summary>The restored signal of RGB batches: luma without its offset (only differences are measured), the gray mean, or RGB.</summary>
    private Tensor Signal(Tensor rgb) => color switch
    {
        RestorationColor.Rgb => rgb,
        RestorationColor.Gray => rgb.mean([1], keepdim: true),
        _ => (rgb * tensor(ColorOps.LumaWeights, device: rgb.device).reshape(1, 3, 1, 1)).sum(1, keepdim: true),
    };

    private sealed class PsnrMean(RestorationObjective objective) : IMetricAccumulator
    {
        private double _sum;
        private long _count;

        public double Value => _count == 0 ? 0 : _sum / _count;

        public void Add(Tensor output, Tensor target)
        {
            using var scope = NewDisposeScope();
            var mse = (objective.Signal(output) - objective.Signal(target)).Squared().flatten(1).mean([1]).to(float64).cpu().data<double>().ToArray();
            foreach (var error in mse)
            {
                _sum += error == 0 ? 100 : 10 * Math.Log10(1 / error); // 100 dB stands for identical images
                _count++;
            }
        }
    }
}
