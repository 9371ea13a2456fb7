using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam;

/// <summary>Catalog extension methods that create the <see cref="ReparamConvTrainer"/>.</summary>
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
}
