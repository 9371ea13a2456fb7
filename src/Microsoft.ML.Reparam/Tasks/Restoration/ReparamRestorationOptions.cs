using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Options shared by the restoration trainers (super-resolution and denoising). Training input is an image column of
/// high-quality images; the trainer cuts random patches, degrades them itself and learns to undo it. The deployed
/// model reads and writes RGB images. <see cref="ReparamTrainerOptions.ImageWidth"/> and
/// <see cref="ReparamTrainerOptions.ImageHeight"/> declare the input size of the saved ML.NET chain (256×256 when not
/// set); <c>Restore</c> on the fitted transformer takes images of any size. <see cref="ReparamTrainerOptions.StageWidths"/>,
/// <see cref="ReparamTrainerOptions.StageDepths"/>, <see cref="ReparamTrainerOptions.StageStrides"/>,
/// <see cref="ReparamTrainerOptions.ColorChannels"/> (must stay 3; see <see cref="Color"/>), the input normalisation and the
/// downsampling options are not used.
/// </summary>
public abstract class ReparamRestorationOptions : ReparamTrainerOptions
{
    private protected ReparamRestorationOptions()
    {
        ColorChannels = 3;
        Optimizer = OptimizerKind.AdamW;
        LearningRate = 1e-3;
        WeightDecay = 0;
        WarmupEpochs = 0;
        BatchSize = 16;
        Epochs = 20;
        HorizontalFlip = true;
        VerticalFlip = true;
        Rotate90 = true;
        ValidationFraction = 0.1;
        FoldCheckImages = 8;
    }

    /// <summary>Gets or sets the output column: the restored image (<c>MLImage</c>).</summary>
    public string OutputColumnName { get; set; } = "RestoredImage";

    /// <summary>Gets or sets the colour signal the network restores.</summary>
    public RestorationColor Color { get; set; }

    /// <summary>Gets or sets the number of blocks between the first and the last convolution (M in ECBSR; the denoiser's depth D).</summary>
    public int Depth { get; set; }

    /// <summary>Gets or sets the channels of those blocks (C).</summary>
    public int Width { get; set; }

    /// <summary>Gets or sets the side of a training patch in input pixels (low-resolution pixels for super-resolution).</summary>
    public int PatchSize { get; set; }

    /// <summary>Gets or sets how many random patches are cut from every training image (once, before training).</summary>
    public int PatchesPerImage { get; set; } = 32;

    /// <summary>Gets or sets the loss.</summary>
    public RestorationLoss Loss { get; set; }
}

/// <summary>Options of the ReparamSuperResolution trainer: the ECBSR layout, ×2, ×3 or ×4, luma by default, L1 loss.</summary>
public sealed class ReparamSuperResolutionOptions : ReparamRestorationOptions
{
    /// <summary>Initializes a new instance of the <see cref="ReparamSuperResolutionOptions"/> class: ECB blocks, M = 4, C = 16 (ECBSR-M4C16, about 10k deployed parameters), 32-pixel low-resolution patches.</summary>
    public ReparamSuperResolutionOptions()
    {
        BlockKind = BlockKind.Ecb;
        Color = RestorationColor.Luma;
        Depth = 4;
        Width = 16;
        PatchSize = 32;
        Loss = RestorationLoss.L1;
        LearningRate = 5e-4;
    }

    /// <summary>Gets or sets the upscale factor: 2, 3 or 4. The trainer makes low-resolution inputs by MATLAB-style bicubic downscaling.</summary>
    public int Scale { get; set; } = 2;
}

/// <summary>Options of the ReparamDenoising trainer: a DnCNN-style residual network against additive Gaussian noise, gray by default, L2 loss.</summary>
public sealed class ReparamDenoisingOptions : ReparamRestorationOptions
{
    /// <summary>Initializes a new instance of the <see cref="ReparamDenoisingOptions"/> class: RepVGG blocks, D = 8, C = 32, 40-pixel patches.</summary>
    public ReparamDenoisingOptions()
    {
        Color = RestorationColor.Gray;
        Depth = 8;
        Width = 32;
        PatchSize = 40;
        Loss = RestorationLoss.L2;
    }

    /// <summary>Gets or sets the noise level σ on the 0–255 scale (the lower end of the range when <see cref="MaxNoiseLevel"/> is set).</summary>
    public float NoiseLevel { get; set; } = 25;

    /// <summary>Gets or sets the upper end of a σ range for a blind denoiser (σ drawn uniformly per patch), or null for one σ.</summary>
    public float? MaxNoiseLevel { get; set; }
}
