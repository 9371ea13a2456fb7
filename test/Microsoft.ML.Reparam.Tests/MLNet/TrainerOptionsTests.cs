using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;

namespace Microsoft.ML.Reparam.Tests.MLNet;

[TestClass]
public sealed class TrainerOptionsTests
{
    [TestMethod]
    public void NkrBlocksWithReactivationTrainFoldExactlyAndReportEveryEvent()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TinyFashion.KeyedView(mlContext, TinyFashion.Images(60));
        var progress = new List<TrainingProgress>();
        var options = TinyFashion.Options();
        options.BlockKind = BlockKind.Nkr;
        options.KernelGenerator = KernelGenerator.SplitAttention;
        options.KernelReactivation = new KernelReactivationOptions { Interval = 1, Alpha = 0.5, Beta = 0.5, Gamma0 = 0.5 };
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);
        var log = new List<string>();
        mlContext.Log += (_, e) =>
        {
            lock (log)
            {
                log.Add(e.Message);
            }
        };

        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data);

        Assert.IsLessThanOrEqualTo(FoldError.Float32Tolerance, model.FoldError.MaxRelative);
        Assert.HasCount(2, model.Reactivations);
        Assert.IsGreaterThan(0, model.Reactivations[0].KernelsRescaled);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            StringAssert.Contains(progress[epoch].ToString(), model.Reactivations[epoch].ToString());
        }

        lock (log)
        {
            Assert.IsTrue(log.Any(m => m.Contains($"ReparamConv: {progress[1]}", StringComparison.Ordinal)), "each epoch goes to the MLContext log");
            Assert.IsTrue(log.Any(m => m.Contains("ReparamConv: fold", StringComparison.Ordinal)));
        }
    }

    [TestMethod]
    public void NkrWithoutAGeneratorIsRejectedWhenTheTrainerIsCreated()
    {
        var options = new ReparamConvTrainerOptions { BlockKind = BlockKind.Nkr };
        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().MulticlassClassification.Trainers.ReparamConv(options));
        StringAssert.Contains(error.Message, "BlockKind.Nkr needs a kernel generator");
    }

    [TestMethod]
    public void GeneratorOnABranchBlockIsRejected()
    {
        var options = new ReparamConvTrainerOptions { BlockKind = BlockKind.Dbb, KernelGenerator = KernelGenerator.SelfAttention };
        var error = Assert.ThrowsExactly<ArgumentException>(() => new MLContext().MulticlassClassification.Trainers.ReparamConv(options));
        StringAssert.Contains(error.Message, "not to Dbb");
    }

    [TestMethod]
    public void MLContextGpuRequestWithoutFallbackFailsOnAMachineWithoutCuda()
    {
        if (TorchSharp.torch.cuda.is_available())
        {
            Assert.Inconclusive("This machine has CUDA.");
        }

        var mlContext = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = false };
        var data = TinyFashion.KeyedView(mlContext, TinyFashion.Images(20));
        var trainer = mlContext.MulticlassClassification.Trainers.ReparamConv(TinyFashion.Options());

        var error = Assert.Throws<Exception>(() => trainer.Fit(data));
        StringAssert.Contains(error.Message, "CUDA");
    }
}
