using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tasks.Classification;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The fitted classifier: the folded plain CNN, scored through ONNX Runtime by stock ML.NET transformers. Its
/// <see cref="ReparamTransformer.SaveOnnx"/> model outputs "logits" and "probabilities" [N, classes]. Outputs: the
/// score column (softmax probabilities) and the predicted-label column, a key with the label's key values, both made
/// by ML.NET's own multiclass scorer.
/// </summary>
public sealed class ReparamConvTransformer : ReparamTransformer
{
    private readonly ReparamConvTrainerOptions _options;

    internal ReparamConvTransformer(FitResult fit, IReadOnlyList<string> classNames, ReparamConvTrainerOptions options)
        : base(fit)
    {
        _options = options;
        ClassNames = classNames;
    }

    /// <summary>Gets the class names (the label's key values), indexed like the score vector.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Returns the images of <paramref name="data"/> as the network sees them — through the same fitted ML.NET
    /// preprocessing the saved model carries — with their labels, for evaluating <see cref="ReparamTransformer.TrainedNetwork"/> or the
    /// ONNX model directly.
    /// </summary>
    /// <param name="data">Rows with the image and label columns the trainer was fitted on.</param>
    /// <returns>Pixels scaled to [0, 1], planar [N, C, H, W], and class indices.</returns>
    public ImageTensorDataset PreprocessImages(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputSchemaCheck.ClassNames(data.Schema, _options.LabelColumnName);
        return ImageColumnReader.ReadRows(InProcessPreprocess(data), _options, new ClassLabelReader(_options.LabelColumnName, ClassNames.Count, requireTwoClasses: false), Graph.InputShape.Height, Graph.InputShape.Width);
    }
}
