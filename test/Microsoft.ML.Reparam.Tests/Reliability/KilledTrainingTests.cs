using Microsoft.ML.Reparam.Robustness;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>A training process killed at a random batch of epoch 2 of 4 resumes, in a new process, to the uninterrupted weights.</summary>
[TestClass]
public sealed class KilledTrainingTests
{
    [TestMethod]
    public void AProcessKilledInEpochTwoResumesToBitwiseTheUninterruptedWeights()
    {
        using var uninterrupted = new TemporaryFolder();
        using var interrupted = new TemporaryFolder();

        var (epochAfterKill, resumedEpochs) = TrainingChildProcess.KillAndResume(uninterrupted.Path, interrupted.Path, seed: 3, Random.Shared);

        Assert.AreEqual(1, epochAfterKill, "killed during epoch 2: the checkpoint of epoch 1 is intact");
        CollectionAssert.AreEqual(new[] { 2, 3, 4 }, resumedEpochs);
        var (compared, different, maxAbsDiff) = CheckpointComparison.Compare(uninterrupted.Path, interrupted.Path);
        Assert.IsGreaterThan(20, compared);
        Assert.IsEmpty(different, string.Join(", ", different));
        Assert.AreEqual(0, maxAbsDiff);
        Assert.IsEmpty(Directory.GetFiles(interrupted.Path, "*.tmp"), "no temporary file is left behind");
    }
}
