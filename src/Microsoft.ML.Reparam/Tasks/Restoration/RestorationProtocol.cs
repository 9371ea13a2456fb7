namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// How a restorer is measured by the published protocol (../shared/data/README.md, docs/restoration.md): super-resolution
/// on the luma of 8-bit results after cropping <c>scale</c> pixels from each border, against bicubic upscaling of the
/// MATLAB-bicubic low-resolution image; denoising on the gray image (or the network's colour signal) of 8-bit results,
/// the input being the ground truth plus unrounded Gaussian noise of σ, against the noisy input itself.
/// </summary>
/// <param name="Scale">The upscale factor (1 for denoising).</param>
/// <param name="NoiseLevel">σ on the 0–255 scale (0 for super-resolution).</param>
/// <param name="Measured">The signal measured: luma, gray or RGB.</param>
/// <param name="NetworkColor">The signal the network restores (decides how the noise is drawn).</param>
internal sealed record RestorationProtocol(int Scale, float NoiseLevel, RestorationColor Measured, RestorationColor NetworkColor)
{
    /// <summary>Gets the pixels cropped from every border before measuring.</summary>
    public int Border => Scale > 1 ? Scale : 0;

    /// <summary>Gets the name of the baseline the network is compared with.</summary>
    public string Baseline => Scale > 1 ? "bicubic" : "noisy input";

    /// <summary>Returns the network's input (planar RGB in [0, 1]) for a ground truth, and the baseline's result.</summary>
    public (float[] Input, int Width, int Height, RgbImage Baseline) Degrade(RgbImage truth, Random random)
    {
        if (Scale > 1)
        {
            var low = Bicubic.Resize(truth, Scale, shrink: true);
            return (low.ToPlanar(), low.Width, low.Height, Bicubic.Resize(low, Scale, shrink: false));
        }

        var input = truth.ToPlanar();
        var size = truth.Width * truth.Height;
        var sigma = NoiseLevel / 255.0;
        var shared = NetworkColor == RestorationColor.Luma ? 1 / ColorOps.LumaWeights.Sum() : 1.0;
        for (var i = 0; i < size; i++)
        {
            var common = Gaussian(random) * sigma * shared;
            for (var c = 0; c < 3; c++)
            {
                input[(c * size) + i] += (float)(NetworkColor == RestorationColor.Rgb ? Gaussian(random) * sigma : common);
            }
        }

        return (input, truth.Width, truth.Height, RgbImage.FromPlanar(input, truth.Width, truth.Height));
    }

    /// <summary>Returns the measured planes of an image on the 0–255 scale (one, or three for RGB).</summary>
    public double[][] Planes(RgbImage image)
    {
        var size = image.Width * image.Height;
        return Measured switch
        {
            RestorationColor.Luma => [ImageQuality.Luma(image.Pixels)],
            RestorationColor.Gray => [[.. Enumerable.Range(0, size).Select(i => (image.Pixels[3 * i] + image.Pixels[(3 * i) + 1] + image.Pixels[(3 * i) + 2]) / 3.0)]],
            _ => [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, size).Select(i => (double)image.Pixels[(3 * i) + c]).ToArray())],
        };
    }

    /// <summary>Returns PSNR (from the mean squared error over the planes) and SSIM (their mean) of <paramref name="actual"/> against <paramref name="truth"/>.</summary>
    public (double Psnr, double Ssim) Measure(RgbImage truth, RgbImage actual)
    {
        var (expected, got) = (Planes(truth), Planes(actual));
        var (height, width) = (truth.Height, truth.Width);
        var mse = expected.Zip(got, (e, a) => ImageQuality.MeanSquaredError(e, a, height, width, Border)).Average();
        var ssim = expected.Zip(got, (e, a) => ImageQuality.Ssim(e, a, height, width, Border)).Average();
        return (ImageQuality.PsnrOf(mse), ssim);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
