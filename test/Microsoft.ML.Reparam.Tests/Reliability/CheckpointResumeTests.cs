using System.Reflection;
using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>Checkpoint and resume in process: cancellation between batches, resumption to the same weights, refusal of another fit's checkpoint.</summary>
[TestClass]
public sealed class CheckpointResumeTests
{
    [TestMethod]
    public void AFitCanceledInEpochThreeResumesToTheWeightsOfAnUninterruptedFit()
    {
        using var uninterrupted = new TemporaryFolder();
        using var interrupted = new TemporaryFolder();
        using var whole = CheckpointedFit.Fit(new MLContext(1), CheckpointedFit.Options(uninterrupted.Path));
        using var cancel = new CancellationTokenSource();
        var seen = new List<int>();
        var canceled = CheckpointedFit.Options(interrupted.Path, progress: p => { seen.Add(p.Epoch); if (p.Epoch == 2) { cancel.Cancel(); } }, cancellationToken: cancel.Token);

        Assert.ThrowsExactly<OperationCanceledException>(() => CheckpointedFit.Fit(new MLContext(1), canceled));
        CollectionAssert.AreEqual(new[] { 1, 2 }, seen, "the fit stops before another epoch completes");
        Assert.AreEqual(2, CheckpointedFit.Epoch(interrupted.Path));

        seen.Clear();
        using var resumed = CheckpointedFit.Fit(new MLContext(1), CheckpointedFit.Options(interrupted.Path, progress: p => seen.Add(p.Epoch)));

        CollectionAssert.AreEqual(new[] { 3, 4 }, seen, "only the missing epochs run");
        Assert.HasCount(4, resumed.Training.History);
        Assert.AreEqual(whole.Training.BestEpoch, resumed.Training.BestEpoch);
        CheckpointedFit.AssertSamePosition(uninterrupted.Path, interrupted.Path);
        CollectionAssert.AreEqual(whole.GetOnnxModel(), resumed.GetOnnxModel(), "the deployed model is bitwise the same");
        CollectionAssert.AreEqual(whole.Reactivations.ToList(), resumed.Reactivations.ToList());
    }

    [TestMethod]
    public void AFitWhoseCheckpointIsCompleteReturnsTheSameModelWithoutTraining()
    {
        using var folder = new TemporaryFolder();
        using var first = CheckpointedFit.Fit(new MLContext(1), CheckpointedFit.Options(folder.Path));
        var epochs = new List<int>();

        using var again = CheckpointedFit.Fit(new MLContext(1), CheckpointedFit.Options(folder.Path, progress: p => epochs.Add(p.Epoch)));

        Assert.IsEmpty(epochs);
        CollectionAssert.AreEqual(first.GetOnnxModel(), again.GetOnnxModel());
    }

    [TestMethod]
    public void ACheckpointOfOtherOptionsIsRefusedNamingEveryDifference()
    {
        using var folder = new TemporaryFolder();
        var options = CheckpointedFit.Options(folder.Path);
        options.Epochs = 1;
        using (CheckpointedFit.Fit(new MLContext(1), options))
        {
        }

        var before = File.ReadAllBytes(CheckpointedFit.File(folder.Path));
        var other = CheckpointedFit.Options(folder.Path);
        (other.Epochs, other.BlockKind, other.StageWidths) = (1, BlockKind.Dbb, [8, 24]);

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => CheckpointedFit.Fit(new MLContext(1), other));

        StringAssert.Contains(error.Message, CheckpointedFit.File(folder.Path));
        StringAssert.Contains(error.Message, "BlockKind is RepVgg there, Dbb here");
        StringAssert.Contains(error.Message, "StageWidths is [8, 16] there, [8, 24] here");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(CheckpointedFit.File(folder.Path)), "the refused checkpoint is left as it was");
    }

    [TestMethod]
    public void ACheckpointOfOtherDataIsRefused()
    {
        using var folder = new TemporaryFolder();
        var mlContext = new MLContext(1);
        var options = CheckpointedFit.Options(folder.Path);
        options.Epochs = 1;
        using (mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(MLNet.TinyFashion.KeyedView(mlContext, MLNet.TinyFashion.Images(96))))
        {
        }

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(MLNet.TinyFashion.KeyedView(mlContext, MLNet.TinyFashion.Images(97))));

        StringAssert.Contains(error.Message, "data.images is 92 there, 93 here");
    }

    [TestMethod]
    public void CancelExecutionOnTheMLContextStopsTheFitWithinABatchAndLeavesTheCheckpointUsable()
    {
        using var folder = new TemporaryFolder();
        var mlContext = new MLContext(1);
        var seen = new List<int>();
        var options = CheckpointedFit.Options(folder.Path, progress: p =>
        {
            seen.Add(p.Epoch);
            CancelExecution(mlContext); // internal to ML.NET 5 (AutoML calls it); reached here by reflection
        });

        var error = Assert.ThrowsExactly<OperationCanceledException>(() => CheckpointedFit.Fit(mlContext, options));

        StringAssert.Contains(error.Message, "canceled through its MLContext at epoch 2, batch 1");
        CollectionAssert.AreEqual(new[] { 1 }, seen);
        using var resumed = CheckpointedFit.Fit(new MLContext(1), CheckpointedFit.Options(folder.Path));
        Assert.HasCount(4, resumed.Training.History);
    }

    private static void CancelExecution(MLContext mlContext) =>
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(mlContext, null);
}
