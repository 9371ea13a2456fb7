namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>Measures a restorer on ground-truth images by its protocol (<see cref="RestorationProtocol"/>).</summary>
internal static class RestorationEvaluation
{
    /// <param name="restore">Runs the deployed network on planar RGB [3, H, W] in [0, 1] and returns its clipped output.</param>
    /// <param name="truths">The ground-truth images.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="seed">Seeds the noise.</param>
    public static RestorationMetrics Measure(Func<float[], int, int, int, float[]> restore, IReadOnlyList<RgbImage> truths, RestorationProtocol protocol, int seed)
    {
        var random = new Random(seed);
        var ours = new List<(double Psnr, double Ssim)>();
        var baseline = new List<(double Psnr, double Ssim)>();
        foreach (var original in truths)
        {
            var truth = original.CropToMultiple(protocol.Scale);
            var (input, width, height, degraded) = protocol.Degrade(truth, random);
            var restored = RgbImage.FromPlanar(restore(input, height, width, 0), truth.Width, truth.Height);
            ours.Add(protocol.Measure(truth, restored));
            baseline.Add(protocol.Measure(truth, degraded));
        }

        return new RestorationMetrics(ours.Average(m => m.Psnr), ours.Average(m => m.Ssim), baseline.Average(m => m.Psnr), baseline.Average(m => m.Ssim), protocol.Baseline, [.. ours.Select(m => m.Psnr)]);
    }
}
