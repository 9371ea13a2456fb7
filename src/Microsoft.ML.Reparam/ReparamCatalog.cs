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
}
