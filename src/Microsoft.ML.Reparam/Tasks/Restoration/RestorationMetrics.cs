using Microsoft.ML.Data;

namespace Microsoft.ML.Reparam;

/// <summary>A restorer measured by the published protocol (docs/restoration.md), beside its baseline.</summary>
/// <param name="Psnr">Mean PSNR of the restored images, in dB.</param>
/// <param name="Ssim">Mean SSIM of the restored images.</param>
/// <param name="BaselinePsnr">Mean PSNR of the baseline (bicubic upscaling, or the noisy input), in dB.</param>
/// <param name="BaselineSsim">Mean SSIM of the baseline.</param>
/// <param name="Baseline">The baseline's name.</param>
/// <param name="ImagePsnr">PSNR of every restored image, in row order.</param>
public sealed record RestorationMetrics(double Psnr, double Ssim, double BaselinePsnr, double BaselineSsim, string Baseline, IReadOnlyList<double> ImagePsnr);

/// <summary>One ground truth degraded and restored (<see cref="ReparamRestorationTransformer.Compare"/>); disposing it disposes the three images.</summary>
/// <param name="Input">The degraded input, rounded to 8 bits.</param>
/// <param name="Baseline">The baseline's result (bicubic upscaling, or the noisy input).</param>
/// <param name="Restored">The model's result.</param>
public sealed record RestorationComparison(MLImage Input, MLImage Baseline, MLImage Restored) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Input.Dispose();
        Baseline.Dispose();
        Restored.Dispose();
    }
}
