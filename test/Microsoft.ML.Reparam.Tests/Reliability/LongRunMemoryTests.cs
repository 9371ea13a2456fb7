using static TorchSharp.torch;

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
        var options = CheckpointedFit.Options(folder.Path, progress: _ => live.Add(ReachableTensors()));
        options.Epochs = 30;
        var mlContext = new MLContext(1);
        var data = MLNet.TinyFashion.KeyedView(mlContext, MLNet.TinyFashion.Images(24));

        using (mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data))
        {
        }

        Assert.HasCount(30, live);
        Assert.AreEqual(live[4], live[^1], $"live native tensors per epoch: {string.Join(", ", live)}");
    }

    /// <summary>Tensors still referenced: garbage the finalizer would free is collected first.</summary>
    private static long ReachableTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Tensor.TotalCount;
    }
}
