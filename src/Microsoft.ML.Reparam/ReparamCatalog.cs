using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam;

/// <summary>Catalog extension methods that create the Reparam trainers: classification and segmentation.</summary>
public static class ReparamCatalog
{
    /// <summary>Creates a trainer of a reparameterizable CNN image classifier that deploys as a plain CNN.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column.</param>
    /// <param name="imageColumnName">The image column (MLImage).</param>
    /// <param name="blockKind">How each convolution trains.</param>
    /// <param name="epochs">Training epochs.</param>
    /// <returns>The trainer.</returns>
    public static ReparamConvTrainer ReparamConv(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label",
        string imageColumnName = "Image",
        BlockKind blockKind = BlockKind.RepVgg,
        int epochs = 10)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ReparamConv(new ReparamConvTrainerOptions { LabelColumnName = labelColumnName, ImageColumnName = imageColumnName, BlockKind = blockKind, Epochs = epochs });
    }

    /// <summary>Creates a trainer of a reparameterizable CNN image classifier with all options.</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    public static ReparamConvTrainer ReparamConv(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ReparamConvTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ReparamConvTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>Creates a trainer of a reparameterizable U-Net for semantic segmentation that deploys as a plain CNN.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageColumnName">The image column (MLImage).</param>
    /// <param name="maskColumnName">The mask column: an MLImage of class ids, or a key-typed vector of H×W.</param>
    /// <param name="blockKind">How each convolution trains.</param>
    /// <param name="epochs">Training epochs.</param>
    /// <returns>The trainer.</returns>
    public static ReparamSegmentationTrainer ReparamSegmentation(
        this TransformsCatalog catalog,
        string imageColumnName = "Image",
        string maskColumnName = "Mask",
        BlockKind blockKind = BlockKind.RepVgg,
        int epochs = 10)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ReparamSegmentation(new ReparamSegmentationOptions { ImageColumnName = imageColumnName, MaskColumnName = maskColumnName, BlockKind = blockKind, Epochs = epochs });
    }

    /// <summary>Creates a trainer of a reparameterizable U-Net for semantic segmentation with all options.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    /// <returns>The trainer.</returns>
    public static ReparamSegmentationTrainer ReparamSegmentation(this TransformsCatalog catalog, ReparamSegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ReparamSegmentationTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>Creates a trainer of a ×<paramref name="scale"/> super-resolution network (ECBSR layout, ECB blocks by default) on high-quality images.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageColumnName">The column of high-quality images (MLImage); the trainer makes the low-resolution inputs.</param>
    /// <param name="outputColumnName">The column of upscaled images the fitted transformer adds.</param>
    /// <param name="scale">The upscale factor: 2, 3 or 4.</param>
    /// <param name="epochs">Training epochs.</param>
    /// <returns>The trainer.</returns>
    public static ReparamSuperResolutionTrainer ReparamSuperResolution(this TransformsCatalog catalog, string imageColumnName = "Image", string outputColumnName = "RestoredImage", int scale = 2, int epochs = 20)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ReparamSuperResolution(new ReparamSuperResolutionOptions { ImageColumnName = imageColumnName, OutputColumnName = outputColumnName, Scale = scale, Epochs = epochs });
    }

    /// <summary>Creates a super-resolution trainer with all options.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options; the trainer keeps a copy.</param>
    /// <returns>The trainer.</returns>
    public static ReparamSuperResolutionTrainer ReparamSuperResolution(this TransformsCatalog catalog, ReparamSuperResolutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ReparamSuperResolutionTrainer(CatalogEnvironment.Of(catalog), options);
    }

    /// <summary>Creates a trainer of a denoiser (DnCNN layout) against Gaussian noise of σ = <paramref name="noiseLevel"/> on clean images.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imageColumnName">The column of clean images (MLImage); the trainer adds the noise.</param>
    /// <param name="outputColumnName">The column of denoised images the fitted transformer adds.</param>
    /// <param name="noiseLevel">σ on the 0–255 scale.</param>
    /// <param name="epochs">Training epochs.</param>
    /// <returns>The trainer.</returns>
    public static ReparamDenoisingTrainer ReparamDenoising(this TransformsCatalog catalog, string imageColumnName = "Image", string outputColumnName = "RestoredImage", float noiseLevel = 25, int epochs = 20)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.ReparamDenoising(new ReparamDenoisingOptions { ImageColumnName = imageColumnName, OutputColumnName = outputColumnName, NoiseLevel = noiseLevel, Epochs = epochs });
    }

    /// <summary>Creates a denoising trainer with all options.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options; the trainer keeps a copy.</param>
    /// <returns>The trainer.</returns>
    public static ReparamDenoisingTrainer ReparamDenoising(this TransformsCatalog catalog, ReparamDenoisingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ReparamDenoisingTrainer(CatalogEnvironment.Of(catalog), options);
    }
}
