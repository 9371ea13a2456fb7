using System.Runtime.InteropServices;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Tasks.Classification;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>A failure inside TorchSharp's native library during training is named: the epoch, and what the checkpoint still holds.</summary>
[TestClass]
public sealed class NativeErrorTests
{
    [TestMethod]
    public void ANativeErrorInEpochTwoNamesTheEpochAndTheIntactCheckpoint()
    {
        using var folder = new TemporaryFolder();
        var plan = new CheckpointPlan(folder.Path, new Dictionary<string, string> { ["test"] = "native error" });

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Train(plan, failInEpoch: 2));

        StringAssert.Contains(error.Message, "epoch 2");
        StringAssert.Contains(error.Message, "Unknown scalar type");
        StringAssert.Contains(error.Message, $"The checkpoint of epoch 1 in '{folder.Path}' is intact");
        Assert.IsInstanceOfType<ExternalException>(error.InnerException);

        var resumed = Train(plan, failInEpoch: 0);
        Assert.AreEqual(3, resumed.History.Count, "the rerun resumes after epoch 1 and reports every epoch");
    }

    [TestMethod]
    public void WithoutACheckpointTheErrorSaysHowToKeepOne()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => Train(null, failInEpoch: 1));

        StringAssert.Contains(error.Message, "epoch 1");
        StringAssert.Contains(error.Message, "set CheckpointDirectory");
    }

    private static TrainingResult Train(CheckpointPlan? plan, int failInEpoch)
    {
        manual_seed(3);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 8, 8, 2, [4], [1], [1]), BlockKind.Plain);
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 16, Seed = 3, Checkpoint = plan, Objective = new FailingObjective(failInEpoch, batchesPerEpoch: 2) };
        return TrainingLoop.Train(model, ToyData.LeftRight(32), settings);
    }

    /// <summary>Cross-entropy that throws what TorchSharp throws for a native error, at the first batch of one epoch.</summary>
    private sealed class FailingObjective(int failInEpoch, int batchesPerEpoch) : ITrainingObjective
    {
        private int _batches;

        public string MetricName => "accuracy";

        public bool HigherIsBetter => true;

        public Tensor Loss(Tensor output, Tensor target) =>
            ++_batches == ((failInEpoch - 1) * batchesPerEpoch) + 1 && failInEpoch > 0
                ? throw new ExternalException("Unknown scalar type")
                : nn.functional.cross_entropy(output, target);

        public IMetricAccumulator NewMetric() => new ClassificationObjective(0).NewMetric();
    }
}
