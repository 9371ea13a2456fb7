namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>Measures a restorer on ground-truth images by its protocol (<see cref="RestorationProtocol"/>).</summary>
internal static class RestorationEvaluation
{
    /// <param name="restore">Runs the deployed network on planar RGB [3, H, W] in [0, 1] and returns its clipped output.</param>
    /// <param name="truths">The ground-truth images.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="seed">Seeds the noise.</param>
    /// <param name="imageColumn">The image column, named in errors.</param>
    public static RestorationMetrics Measure(Func<float[], int, int, int, float[]> restore, IReadOnlyList<RgbImage> truths, RestorationProtocol protocol, int seed, string imageColumn)
    {
        for (var row = 0; row < truths.Count; row++)
        {
            CheckSize(truths[row], protocol, imageColumn, row);
        }

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

    /// <summary>Throws, naming the row, when an image is too small to measure: SSIM's 11×11 window must fit inside the cropped border.</summary>
    public static void CheckSize(RgbImage truth, RestorationProtocol protocol, string imageColumn, int row)
    {
        var least = Math.Max(protocol.Scale, (2 * protocol.Border) + 11);
        if (truth.Width < least || truth.Height < least)
        {
            throw new ArgumentException($"Image column '{imageColumn}': row {row} is {truth.Width}x{truth.Height}; measuring by the protocol needs at least {least}x{least} (the 11x11 SSIM window inside a {protocol.Border}-pixel border).", nameof(truth));
        }
    }
}
