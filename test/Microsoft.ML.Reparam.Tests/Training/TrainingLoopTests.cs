using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

[TestClass]
public sealed class TrainingLoopTests
{
    private static readonly ClassifierArchitecture Toy = new(1, 8, 8, 2, [4, 8], [1, 1], [1, 2]);

    private static readonly TrainingSettings Fast = new()
    {
        Epochs = 4,
        BatchSize = 16,
        LearningRate = 0.05,
        ValidationFraction = 0.25,
        Seed = 3,
    };

    [TestMethod]
    public void LearnsASeparableToyAndKeepsTheBestEpoch()
    {
        var data = ToyData.LeftRight(96);
        using var model = NewModel(Fast.Seed);
        var history = new List<TrainingProgress>();

        var result = TrainingLoop.Train(model, data, Fast, new SynchronousProgress<TrainingProgress>(history.Add));

        Assert.HasCount(4, history);
        Assert.IsLessThan(history[0].TrainLoss, history[^1].TrainLoss);
        var best = history.Max(h => h.ValidationMetric!.Value);
        Assert.AreEqual(best, history[result.BestEpoch - 1].ValidationMetric);
        Assert.IsGreaterThan(0.9, ModelEvaluation.Accuracy(model, new BatchSource(data, [], [])));
        Assert.IsFalse(model.training);
    }

    [TestMethod]
    public void SameSeedGivesIdenticalWeightsAndAnotherSeedDiffers()
    {
        var data = ToyData.LeftRight(48);
        var first = TrainedWeights(data, Fast);
        var second = TrainedWeights(data, Fast);
        var other = TrainedWeights(data, Fast with { Seed = 4 });

        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreNotEqual(first, other);
    }

    [TestMethod]
    public void HooksAreCalledOncePerEpochWithTheScheduledRateAndTheirMessageIsReported()
    {
        var data = ToyData.LeftRight(32);
        var hook = new RecordingHook();
        var history = new List<TrainingProgress>();
        using var model = NewModel(0);
        var settings = Fast with { Epochs = 3, ValidationFraction = 0, WarmupEpochs = 0, Hooks = [hook] };

        TrainingLoop.Train(model, data, settings, new SynchronousProgress<TrainingProgress>(history.Add));

        // 32 images, batch 16: 2 steps per epoch, 6 in all; the epoch's rate is that of its last step.
        var schedule = new CosineSchedule(settings.LearningRate, 6, 0);
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, hook.Epochs);
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(schedule.At((2 * i) + 1), hook.LearningRates[i], 1e-12);
            Assert.AreEqual($"hook saw epoch {i + 1}", history[i].Message);
        }

        Assert.AreEqual(6, hook.RegularizationCalls);
    }

    [TestMethod]
    public void CancellationStopsWithinABatchAndLeavesTheModelUsable()
    {
        var data = ToyData.LeftRight(64);
        using var cancellation = new CancellationTokenSource();
        var hook = new RecordingHook { OnRegularization = cancellation.Cancel };
        using var model = NewModel(0);

        Assert.ThrowsExactly<OperationCanceledException>(() =>
            TrainingLoop.Train(model, data, Fast with { BatchSize = 8, Hooks = [hook] }, cancellationToken: cancellation.Token));

        Assert.AreEqual(1, hook.RegularizationCalls);
        Assert.IsFalse(model.training);
        using var scope = NewDisposeScope();
        Assert.AreEqual(2, model.forward(zeros(1, 1, 8, 8)).shape[1]);
    }

    [TestMethod]
    public void NativeTensorCountStaysFlatAcrossEpochs()
    {
        var data = ToyData.LeftRight(64);
        using var model = NewModel(0);
        TrainingLoop.Train(model, data, Fast with { Epochs = 1 });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var afterOne = Tensor.TotalCount;

        TrainingLoop.Train(model, data, Fast with { Epochs = 6 });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var afterSix = Tensor.TotalCount;

        // Live native tensors do not grow with the number of epochs (each run leaves the same model).
        Assert.IsLessThanOrEqualTo(afterOne + 4, afterSix, $"live tensors: {afterOne} after 1 epoch, {afterSix} after 6 more");
    }

    [TestMethod]
    public void GpuRequestWithoutCudaAndWithoutFallbackFails()
    {
        if (cuda.is_available())
        {
            Assert.AreEqual(DeviceType.CUDA, TrainingDevice.Select(0, fallbackToCpu: false).type);
            return;
        }

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => TrainingDevice.Select(0, fallbackToCpu: false));
        StringAssert.Contains(error.Message, "FallbackToCpu");
        Assert.AreEqual(DeviceType.CPU, TrainingDevice.Select(0, fallbackToCpu: true).type);
    }

    [TestMethod]
    [DataRow(nameof(TrainingSettings.Epochs))]
    [DataRow(nameof(TrainingSettings.BatchSize))]
    [DataRow(nameof(TrainingSettings.LearningRate))]
    [DataRow(nameof(TrainingSettings.ValidationFraction))]
    [DataRow(nameof(TrainingSettings.LabelSmoothing))]
    public void InvalidSettingsAreRejectedByName(string setting)
    {
        var bad = setting switch
        {
            nameof(TrainingSettings.Epochs) => Fast with { Epochs = 0 },
            nameof(TrainingSettings.BatchSize) => Fast with { BatchSize = 0 },
            nameof(TrainingSettings.LearningRate) => Fast with { LearningRate = double.NaN },
            nameof(TrainingSettings.ValidationFraction) => Fast with { ValidationFraction = 1 },
            _ => Fast with { LabelSmoothing = -0.1 },
        };
        using var model = NewModel(0);

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TrainingLoop.Train(model, ToyData.LeftRight(8), bad));

        StringAssert.Contains(error.Message, setting);
    }

    [TestMethod]
    public void NormalizationWithTheWrongChannelCountIsRejected()
    {
        using var model = NewModel(0);
        var error = Assert.ThrowsExactly<ArgumentException>(() => TrainingLoop.Train(model, ToyData.LeftRight(8), Fast with { InputMean = [0.5f, 0.5f, 0.5f], InputStd = [0.2f, 0.2f, 0.2f] }));
        StringAssert.Contains(error.Message, "InputMean has 3 values but the images have 1 channel");
    }

    private static VggClassifier NewModel(int seed)
    {
        manual_seed(seed);
        return new VggClassifier(Toy, BlockKind.RepVgg);
    }

    private static float[] TrainedWeights(Microsoft.ML.Reparam.Data.ImageTensorDataset data, TrainingSettings settings)
    {
        using var model = NewModel(settings.Seed);
        TrainingLoop.Train(model, data, settings);
        using var scope = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }

    private sealed class RecordingHook : ITrainingHook
    {
        public List<int> Epochs { get; } = [];

        public List<double> LearningRates { get; } = [];

        public int RegularizationCalls { get; private set; }

        public Action? OnRegularization { get; init; }

        public Tensor? RegularizationLoss(nn.Module<Tensor, Tensor> model)
        {
            RegularizationCalls++;
            OnRegularization?.Invoke();
            return null;
        }

        public string? OnEpochEnd(EpochEndContext context)
        {
            Epochs.Add(context.Epoch);
            LearningRates.Add(context.LearningRate);
            return $"hook saw epoch {context.Epoch}";
        }
    }
}
