using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tasks.Segmentation;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The fitted segmenter: the folded plain U-Net, scored through ONNX Runtime by stock ML.NET transformers. Output: the
/// predicted-mask column, a key-typed vector of H×W (the model's size) whose key values are the class names, and
/// optionally per-pixel probabilities. <see cref="PredictMask"/> gives a mask at any image's own size. Its
/// <see cref="ReparamTransformer.SaveOnnx"/> model outputs "logits" and "probabilities" [N, classes, H, W] and
/// "classes" [N, 1, H, W] (the arg-max as a float).
/// </summary>
public sealed class ReparamSegmentationTransformer : ReparamTransformer
{
    private readonly ReparamSegmentationOptions _options;

    internal ReparamSegmentationTransformer(FitResult fit, IReadOnlyList<string> classNames, ReparamSegmentationOptions options)
        : base(fit)
    {
        _options = options;
        ClassNames = classNames;
    }

    /// <summary>Gets the class names, indexed by class id (the predicted mask's key values).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Predicts the mask of one image at the image's own size: the image is resized to the model's size as in
    /// training, and the predicted mask resized back with nearest neighbour. The caller's image is not disposed.
    /// </summary>
    /// <param name="image">The image.</param>
    /// <returns>The class id of every pixel, row-major, with the image's width and height.</returns>
    public SegmentationMask PredictMask(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mlContext = new MLContext();
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        schema[0].ColumnName = _options.ImageColumnName;
        var data = mlContext.Data.LoadFromEnumerable([new ImageRow { Image = image }], schema);
        var predicted = Transform(data).GetColumn<VBuffer<uint>>(_options.PredictedMaskColumnName).Single().DenseValues().ToArray();
        var (height, width) = (Graph.InputShape.Height, Graph.InputShape.Width);
        var classes = new int[image.Width * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                classes[(y * image.Width) + x] = (int)predicted[(MaskReader.Nearest(y, image.Height, height) * width) + MaskReader.Nearest(x, image.Width, width)] - 1;
            }
        }

        return new SegmentationMask(image.Width, image.Height, classes);
    }

    /// <summary>
    /// Scores <paramref name="data"/> and compares the predicted masks with its mask column (read as in training, at
    /// the model's size; ignored pixels are not counted).
    /// </summary>
    /// <param name="data">Rows with the image and mask columns the trainer was fitted on.</param>
    /// <returns>Pixel accuracy, mean and per-class IoU, and the confusion matrix.</returns>
    public SegmentationMetrics Evaluate(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (height, width) = (Graph.InputShape.Height, Graph.InputShape.Width);
        var reader = new MaskReader(_options, ClassNames.Count, requireTwoClasses: false);
        var truth = ImageColumnReader.ReadRows(InProcessPreprocess(data), _options, reader, height, width);
        var masks = (MaskTargets)truth.Targets;
        var predicted = Transform(data).GetColumn<VBuffer<uint>>(_options.PredictedMaskColumnName).Select(v => v.DenseValues().Select(k => (int)k - 1).ToArray());
        var size = height * width;
        return SegmentationMetrics.Compute(
            predicted.Select((p, row) => (masks.Masks.AsSpan(checked(row * size), size).ToArray().Select(v => (int)v).ToArray(), p)),
            ClassNames.Count,
            MaskTargets.Ignore);
    }

    /// <summary>
    /// Evaluates the trained (unfolded) network on <paramref name="data"/> the way <see cref="Evaluate"/> evaluates the
    /// deployed one — same preprocessing, same masks — so the two can be compared. Needs
    /// <see cref="ReparamTrainerOptions.RetainTrainedNetwork"/>.
    /// </summary>
    /// <param name="data">Rows with the image and mask columns the trainer was fitted on.</param>
    /// <returns>Pixel accuracy, mean and per-class IoU, and the confusion matrix of the trained network.</returns>
    /// <exception cref="InvalidOperationException">The trained network was not retained.</exception>
    public SegmentationMetrics EvaluateTrainedNetwork(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var network = TrainedNetwork ?? throw new InvalidOperationException($"The trained network was not retained; set {nameof(ReparamTrainerOptions.RetainTrainedNetwork)} to evaluate it.");
        var images = ImageColumnReader.ReadRows(InProcessPreprocess(data), _options, new MaskReader(_options, ClassNames.Count, requireTwoClasses: false), Graph.InputShape.Height, Graph.InputShape.Width);
        var confusion = new SegmentationObjective.Confusion(ClassNames.Count);
        ModelEvaluation.Accumulate(network, new BatchSource(images, _options.InputMean, _options.InputStd), confusion, batchSize: 8);
        return confusion.Metrics;
    }

    private sealed class ImageRow
    {
        [ImageType(1, 1)] // the size a column must declare; the image keeps its own
        public MLImage Image { get; set; } = null!;
    }
}

/// <summary>A predicted mask at an image's own size.</summary>
/// <param name="Width">The image's width.</param>
/// <param name="Height">The image's height.</param>
/// <param name="ClassIds">The class id of every pixel, row-major.</param>
public sealed record SegmentationMask(int Width, int Height, int[] ClassIds);
