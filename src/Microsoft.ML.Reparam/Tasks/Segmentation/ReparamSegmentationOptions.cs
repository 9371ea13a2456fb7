using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Options of the ReparamSegmentation trainer: a U-Net of reparameterizable blocks trained on an image column and a
/// mask column, deployed as a plain CNN that predicts a class for every pixel. <see cref="ReparamTrainerOptions.StageWidths"/>
/// are the U-Net's level widths (from full resolution down; every level after the first halves the size) and
/// <see cref="ReparamTrainerOptions.StageDepths"/> its blocks per level; <see cref="ReparamTrainerOptions.StageStrides"/> is not used.
/// </summary>
public sealed class ReparamSegmentationOptions : ReparamTrainerOptions
{
    /// <summary>Initializes a new instance of the <see cref="ReparamSegmentationOptions"/> class with widths and depths for a small U-Net.</summary>
    public ReparamSegmentationOptions()
    {
        StageWidths = [16, 32, 64];
        StageDepths = [1];
        ValidationFraction = 0.2;
        Optimizer = Training.OptimizerKind.AdamW;
        LearningRate = 0.003;
        WeightDecay = 1e-4;
    }

    /// <summary>
    /// Gets or sets the mask column: an <c>MLImage</c> of the image's size whose pixel values (the red channel) are
    /// class ids (see <see cref="MaskValues"/> for masks stored as 0/255), or a key-typed vector of H×W values (key 0,
    /// missing, is ignored).
    /// </summary>
    public string MaskColumnName { get; set; } = "Mask";

    /// <summary>Gets or sets the class names, indexed by class id; null to take the mask's key values, or "0", "1", … .</summary>
    public string[]? ClassNames { get; set; }

    /// <summary>
    /// Gets or sets a map from mask pixel values to class ids (for example {0: 0, 255: 1} for a binary mask stored as
    /// 0/255), or null when pixel values are the class ids. A value that is neither a key of the map nor the ignore
    /// value fails the fit, naming the value and the row.
    /// </summary>
    public IReadOnlyDictionary<int, int>? MaskValues { get; set; }

    /// <summary>
    /// Gets or sets the mask pixel value excluded from loss and metrics; null for 255 when 255 is not a class value
    /// (and no value otherwise).
    /// </summary>
    public int? IgnoreValue { get; set; }

    /// <summary>Gets or sets a weight per class in the cross-entropy (for rare classes), or null for equal weights.</summary>
    public float[]? ClassWeights { get; set; }

    /// <summary>Gets or sets how the decoder upsamples before each skip concatenation.</summary>
    public PlainResizeMode Upsampling { get; set; } = PlainResizeMode.Nearest;

    /// <summary>Gets or sets the output column: a key-typed vector of H×W whose key values are the class names.</summary>
    public string PredictedMaskColumnName { get; set; } = "PredictedMask";

    /// <summary>Gets or sets an output column of per-pixel class probabilities [classes, H, W], or null for none.</summary>
    public string? ScoreColumnName { get; set; }

    /// <inheritdoc />
    internal override ReparamTrainerOptions Snapshot()
    {
        var copy = (ReparamSegmentationOptions)base.Snapshot();
        copy.ClassNames = ClassNames is null ? null : [.. ClassNames];
        copy.MaskValues = MaskValues is null ? null : new Dictionary<int, int>(MaskValues);
        copy.ClassWeights = ClassWeights is null ? null : [.. ClassWeights];
        return copy;
    }
}
