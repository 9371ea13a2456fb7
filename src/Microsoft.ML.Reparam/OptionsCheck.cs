using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;

namespace Microsoft.ML.Reparam;

/// <summary>Checks of <see cref="ReparamConvTrainerOptions"/> made when the trainer is created, before any data is read.</summary>
internal static class OptionsCheck
{
    public static void Validate(ReparamConvTrainerOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ImageColumnName, nameof(options.ImageColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ScoreColumnName, nameof(options.ScoreColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PredictedLabelColumnName, nameof(options.PredictedLabelColumnName));
        if (options.ColorChannels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ColorChannels, $"{nameof(options.ColorChannels)} must be 1 (grayscale) or 3 (RGB).");
        }

        if (!Enum.IsDefined(options.Architecture))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Architecture, $"Unknown {nameof(options.Architecture)}.");
        }

        options.BlockSpec.Validate();
        options.KernelReactivation?.Validate();
        new DownsamplingSpec(options.Downsampling, options.SpectralSmoothness).Validate();
        _ = new StrideComplexityRegularizer(options.StrideComplexityWeight);

        if (options.FoldCheckImages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FoldCheckImages, $"{nameof(options.FoldCheckImages)} must be at least 1.");
        }

        if (!(options.FoldTolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.FoldTolerance, $"{nameof(options.FoldTolerance)} must be positive.");
        }

        // The architecture and kernel size are checked by the models' own validation.
        new Models.ClassifierArchitecture(options.ColorChannels, 1, 1, 2, options.StageWidths, options.StageDepths, options.StageStrides, options.KernelSize).Validate();
        new ConvGeometry(options.ColorChannels, options.StageWidths[0], options.KernelSize).Validate();
    }
}
