using Microsoft.ML.Reparam.Robustness;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>Epoch after epoch — with validation, augmentation, reactivation and checkpoints — training keeps no native tensor it made.</summary>
[TestClass]
public sealed class LongRunMemoryTests
{
    [TestMethod]
    public void ThirtyEpochsKeepTheLiveNativeTensorCountFlat()
    {
        using var folder = new TemporaryFolder();
        var live = new List<long>();
        var options = CheckpointedFit.Options(folder.Path, progress: _ => live.Add(LiveTensors.Count()));
        options.Epochs = 30;
        var mlContext = new MLContext(1);
        var data = MLNet.TinyFashion.KeyedView(mlContext, MLNet.TinyFashion.Images(24));

        using (mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data))
        {
        }

        Assert.HasCount(30, live);
        Assert.AreEqual(live[4], live[^1], $"live native tensors per epoch: {string.Join(", ", live)}");
    }
}
