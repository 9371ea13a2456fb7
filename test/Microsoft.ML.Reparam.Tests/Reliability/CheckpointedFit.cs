using Microsoft.ML.Reparam.Robustness;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>A four-epoch classifier fit that exercises every piece of checkpointed state: validation (best epoch), augmentation, reactivation.</summary>
internal static class CheckpointedFit
{
    public static IDataView Data(MLContext mlContext) => MLNet.TinyFashion.KeyedView(mlContext, MLNet.TinyFashion.Images(96));

    public static ReparamConvTrainerOptions Options(string? checkpointDirectory, int seed = 1, Action<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var options = MLNet.TinyFashion.Options();
        options.Epochs = 4;
        options.ValidationFraction = 0.2;
        options.RandomCropPadding = 1;
        options.HorizontalFlip = true;
        options.KernelReactivation = new KernelReactivationOptions { Interval = 1 };
        options.FoldCheckImages = 4;
        options.Seed = seed;
        options.CheckpointDirectory = checkpointDirectory;
        options.Progress = progress is null ? null : new SynchronousProgress<TrainingProgress>(progress);
        options.CancellationToken = cancellationToken;
        return options;
    }

    public static ReparamConvTransformer Fit(MLContext mlContext, ReparamConvTrainerOptions options) =>
        mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(Data(mlContext));

    public static string File(string folder) => CheckpointComparison.File(folder);

    public static long Epoch(string folder) => CheckpointComparison.Epoch(folder);

    /// <summary>Asserts that two checkpoints hold bitwise the same training position: weights, optimizer, best epoch, batch order, generators, hooks.</summary>
    public static void AssertSamePosition(string folder, string otherFolder)
    {
        var (compared, different, _) = CheckpointComparison.Compare(folder, otherFolder);
        Assert.IsGreaterThan(20, compared);
        Assert.IsEmpty(different, $"checkpoint entries differ: {string.Join(", ", different)}");
    }
}
