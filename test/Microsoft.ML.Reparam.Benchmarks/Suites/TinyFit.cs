using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// The tiny classifier fit that <c>robustness</c> and <c>gc-stress</c> repeat: widths [8, 16], batch 16, embedded
/// Fashion-MNIST images, 4 fold-check images. A fit is deterministic for its seed (robustness's isolation check).
/// </summary>
internal static class TinyFit
{
    public static ReparamConvTrainerOptions Options(int seed, int epochs) => new()
    {
        StageWidths = [8, 16],
        StageDepths = [1, 1],
        StageStrides = [2, 2],
        Epochs = epochs,
        BatchSize = 16,
        ValidationFraction = 0.2,
        RandomCropPadding = 1,
        HorizontalFlip = true,
        InputMean = [0.3f],
        InputStd = [0.35f],
        FoldCheckImages = 4,
        Seed = seed,
    };

    /// <summary>The first <paramref name="count"/> embedded training images with the label as a key column.</summary>
    public static IDataView Fashion(MLContext mlContext, int count)
    {
        var view = FashionMnist.LoadEmbedded().Train.Take(count).ToDataView(mlContext);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    /// <summary>Fits on 96 images and returns the deployed ONNX model's bytes.</summary>
    public static byte[] Deployed(int seed, int epochs = 3, CancellationToken token = default, Action<TrainingProgress>? progress = null)
    {
        var mlContext = new MLContext(seed);
        var options = Options(seed, epochs);
        options.CancellationToken = token;
        options.Progress = progress is null ? null : new Reporter(progress);
        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(Fashion(mlContext, 96));
        return model.GetOnnxModel();
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports synchronously on the training thread.</summary>
    public sealed class Reporter(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
