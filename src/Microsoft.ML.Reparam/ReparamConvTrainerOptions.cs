using Microsoft.ML.Reparam.Models;

namespace Microsoft.ML.Reparam;

/// <summary>Options of the ReparamConv multiclass image classification trainer.</summary>
public sealed class ReparamConvTrainerOptions : ReparamTrainerOptions
{
    /// <summary>Gets or sets the key-typed label column.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Gets or sets the output column of class probabilities (softmax).</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Gets or sets the output column of the predicted class (a key with the label's key values).</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>
    /// Gets or sets the network layout: a VGG-style chain of blocks, or a ResNet (stem, then residual blocks of two
    /// convolutions per stage position). Both fold to a plain graph; the ResNet's keeps its Add nodes.
    /// </summary>
    public NetworkArchitecture Architecture { get; set; } = NetworkArchitecture.Vgg;

    /// <summary>Gets or sets the label smoothing ε (0 disables it).</summary>
    public double LabelSmoothing { get; set; }
}
