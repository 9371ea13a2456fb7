using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tests.Restoration;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>Resuming is exact for every task: the denoiser's noise generator and a segmenter's map augmentation are restored with the weights.</summary>
[TestClass]
public sealed class TaskResumeTests
{
    [TestMethod]
    public void ABlindDenoiserCanceledAfterEpochOneResumesToTheUninterruptedModel()
    {
        var mlContext = new MLContext(1);
        var images = Enumerable.Range(0, 4).Select(i => TestImages.Make(24, 24, i).ToMLImage()).ToList();
        var data = TestImages.DataView(mlContext, images);

        var (whole, resumed) = CancelAndResume(folder => mlContext.Transforms.ReparamDenoising(Denoising(folder)), data);

        CollectionAssert.AreEqual(whole, resumed);
        images.ForEach(i => i.Dispose());
    }

    [TestMethod]
    public void ASegmenterCanceledAfterEpochOneResumesToTheUninterruptedModel()
    {
        var mlContext = new MLContext(1);
        var data = SegmentationImages.Synthetic(12, size: 32, seed: 3, garments: 1).ToDataView(mlContext);

        var (whole, resumed) = CancelAndResume(folder => mlContext.Transforms.ReparamSegmentation(Segmentation(folder)), data);

        CollectionAssert.AreEqual(whole, resumed);
    }

    /// <summary>Fits uninterrupted; then fits in another folder, cancels after epoch 1 and fits again there. Returns both deployed models.</summary>
    private static (byte[] Whole, byte[] Resumed) CancelAndResume(Func<CheckpointSetup, IEstimator<ReparamTransformer>> trainer, IDataView data)
    {
        using var uninterrupted = new TemporaryFolder();
        using var interrupted = new TemporaryFolder();
        using var whole = trainer(new CheckpointSetup(uninterrupted.Path, null, default)).Fit(data);
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsExactly<OperationCanceledException>(() => trainer(new CheckpointSetup(interrupted.Path, _ => cancel.Cancel(), cancel.Token)).Fit(data));
        Assert.AreEqual(1, CheckpointedFit.Epoch(interrupted.Path));
        using var resumed = trainer(new CheckpointSetup(interrupted.Path, null, default)).Fit(data);
        CheckpointedFit.AssertSamePosition(uninterrupted.Path, interrupted.Path);
        return (whole.GetOnnxModel(), resumed.GetOnnxModel());
    }

    private static ReparamDenoisingOptions Denoising(CheckpointSetup setup) => Apply(new ReparamDenoisingOptions { Depth = 2, Width = 8, PatchSize = 12, PatchesPerImage = 6, Epochs = 3, BatchSize = 8, NoiseLevel = 10, MaxNoiseLevel = 40, BlockKind = BlockKind.Dbb, ImageWidth = 20, ImageHeight = 16, ValidationFraction = 0.25, Seed = 2 }, setup);

    private static ReparamSegmentationOptions Segmentation(CheckpointSetup setup) => Apply(new ReparamSegmentationOptions { StageWidths = [4, 8], StageDepths = [1], Epochs = 3, BatchSize = 4, HorizontalFlip = true, VerticalFlip = true, Rotate90 = true, RandomCropPadding = 2, ValidationFraction = 0.25, FoldCheckImages = 2, Seed = 4 }, setup);

    private static T Apply<T>(T options, CheckpointSetup setup)
        where T : ReparamTrainerOptions
    {
        options.CheckpointDirectory = setup.Folder;
        options.Progress = setup.Progress is null ? null : new SynchronousProgress<TrainingProgress>(setup.Progress);
        options.CancellationToken = setup.Token;
        return options;
    }

    private sealed record CheckpointSetup(string Folder, Action<TrainingProgress>? Progress, CancellationToken Token);
}
