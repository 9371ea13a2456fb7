using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;

namespace Microsoft.ML.Reparam;

/// <summary>Checks of the options every task shares, made when a trainer is created, before any data is read; each task adds its own.</summary>
internal static class OptionsCheck
{
    public static void Validate(ReparamTrainerOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ImageColumnName, nameof(options.ImageColumnName));
        if (options.ColorChannels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ColorChannels, $"{nameof(options.ColorChannels)} must be 1 (grayscale) or 3 (RGB).");
        }

        options.BlockSpec.Validate();
        options.KernelReactivation?.Validate();
        options.Quantization?.Validate();
        new DownsamplingSpec(options.Downsampling, options.SpectralSmoothness).Validate();
        _ = new StrideComplexityRegularizer(options.StrideComplexityWeight);

        if (options.FoldCheckImages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FoldCheckImages, $"{nameof(options.FoldCheckImages)} must be at least 1.");
        }

        if (options.MaxImagePixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxImagePixels, $"{nameof(options.MaxImagePixels)} must be at least 1.");
        }

        if (!(options.FoldTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FoldTolerance, $"{nameof(options.FoldTolerance)} must be positive.");
        }

        new ConvGeometry(options.ColorChannels, options.StageWidths[0], options.KernelSize).Validate();
    }
}
