using System.Diagnostics;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

[TestClass]
public sealed class KernelReactivationTests
{
    // Every kernel is v·[1, −2, 0.5, 0.5] (2×2), so its L1 norm is 4|v| and its weight ratios are fixed.
    private static readonly float[] Pattern = [1f, -2f, 0.5f, 0.5f];

    // Layer A filter averages: 1, 2, 10, 0.5, 8. Layer B: 0.3, 9, 0.4, 7, 0.45.
    // C1 (α = 0.3 of 10 filters → 3): B0 (0.3), B2 (0.4), B4 (0.45). C2 (β = 0.4 of 5 → 2 per layer): A3, A0 and B0, B2.
    // Invalid = C1 ∩ C2 = {B0, B2}: A0 and A3 fail C1, B4 fails C2.
    private static readonly double[][] LayerA = [[1, 1, 1, 1], [2, 2, 2, 2], [10, 10, 10, 10], [0.5, 0.5, 0.5, 0.5], [8, 8, 8, 8]];
    private static readonly double[][] LayerB = [[0.1, 0.5, 0.2, 0.4], [9, 9, 9, 9], [0.8, 0.2, 0.3, 0.3], [7, 7, 7, 7], [0.45, 0.45, 0.45, 0.45]];

    [TestMethod]
    public void SelectionIsExactlyC1AndC2ThenC3()
    {
        var (filters, kernels) = KernelSelection.Select([LayerA, LayerB], alpha: 0.3, beta: 0.4, gamma: 0.5);

        CollectionAssert.AreEqual(new[] { (1, 0), (1, 2) }, filters.ToArray());
        // γ = 0.5 of 4 kernels → 2: B0's 0.1 and 0.2 (kernels 0, 2); B2's 0.2 and the first 0.3 (kernels 1, 2).
        CollectionAssert.AreEqual(new[] { new KernelIndex(1, 0, 0), new KernelIndex(1, 0, 2), new KernelIndex(1, 2, 1), new KernelIndex(1, 2, 2) }, kernels.ToArray());
    }

    [TestMethod]
    public void RescaledKernelsTakeTheBestKernelsNormAndKeepTheirRatios()
    {
        using var scope = NewDisposeScope();
        var a = Weights(LayerA);
        var b = Weights(LayerB);
        var before = b.clone();

        var (filters, rescaled) = KernelReactivation.Apply([a, b], alpha: 0.3, beta: 0.4, gamma: 0.5);

        Assert.AreEqual(2, filters);
        Assert.AreEqual(4, rescaled);
        AssertKernel(b, 0, 0, 0.5);   // 0.1 → best of B0, 0.5
        AssertKernel(b, 0, 2, 0.5);
        AssertKernel(b, 2, 1, 0.8);   // 0.2 → best of B2, 0.8
        AssertKernel(b, 2, 2, 0.8);
        AssertKernel(b, 2, 3, 0.3);   // not selected: unchanged
        Assert.IsTrue(before[1].eq(b[1]).all().item<bool>(), "filters that are not invalid are untouched");
        Assert.IsTrue(Weights(LayerA).eq(a).all().item<bool>(), "layer A has no invalid filter");
    }

    [TestMethod]
    public void GammaFollowsTheCosineScheduleAndEachEventIsReported()
    {
        var data = ToyData.LeftRight(32);
        var options = new KernelReactivationOptions { Alpha = 0.5, Beta = 0.5, Gamma0 = 0.4, Interval = 2 };
        var hook = new KernelReactivation(options);
        var history = new List<TrainingProgress>();
        manual_seed(0);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 8, 8, 2, [4, 8], [1, 1], [1, 2]), BlockKind.RepVgg);
        var settings = new TrainingSettings { Epochs = 5, BatchSize = 16, LearningRate = 0.1, WarmupEpochs = 0, ValidationFraction = 0, Seed = 1, Hooks = [hook] };

        TrainingLoop.Train(model, data, settings, new SynchronousProgress<TrainingProgress>(history.Add));

        Assert.HasCount(2, hook.Events); // after epochs 2 and 4
        var schedule = new CosineSchedule(0.1, totalSteps: 10, warmupSteps: 0);
        foreach (var (reactivation, epoch) in hook.Events.Zip(new[] { 2, 4 }))
        {
            Assert.AreEqual(epoch, reactivation.Epoch);
            Assert.AreEqual(0.4 * schedule.At((epoch * 2) - 1) / 0.1, reactivation.Gamma, 1e-12);
            Assert.IsGreaterThan(0, reactivation.FiltersSelected);
            StringAssert.Contains(history[epoch - 1].ToString(), $"{reactivation.FiltersSelected} filters, {reactivation.KernelsRescaled} kernels rescaled");
        }

        Assert.IsLessThan(hook.Events[0].Gamma, hook.Events[1].Gamma);
    }

    [TestMethod]
    public void NoEventWhenTheIntervalExceedsTheEpochs()
    {
        var hook = new KernelReactivation(new KernelReactivationOptions { Interval = 3 });
        manual_seed(0);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 8, 8, 2, [4], [1], [1]), BlockKind.Plain);

        TrainingLoop.Train(model, ToyData.LeftRight(16), new TrainingSettings { Epochs = 2, BatchSize = 8, ValidationFraction = 0, Hooks = [hook] });

        Assert.IsEmpty(hook.Events);
        Assert.AreEqual(0, hook.KernelsReactivated);
    }

    [TestMethod]
    public void OverheadIsUnderOnePercentOfAnEpoch()
    {
        // The benchmark classifier; an epoch of the embedded Fashion-MNIST subset is 157 steps of 64 images.
        manual_seed(0);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 28, 28, 10, [32, 64, 128], [1, 2, 2], [1, 2, 2]), BlockKind.RepVgg);
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var images = randn(64, 1, 28, 28);
        using var labels = randint(10, [64], dtype: int64);
        var step = Median(() =>
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(images), labels).backward();
            optimizer.step();
        });
        var weights = KernelReactivation.ConvolutionWeights(model);
        var reactivation = Median(() => KernelReactivation.Apply(weights, 0.2, 0.3, 0.1));

        Assert.IsLessThan(0.01 * 157 * step, reactivation, $"reactivation {reactivation:F2} ms, step {step:F2} ms");
    }

    [TestMethod]
    public void ConvolutionWeightsAreTheTrainableFourDimensionalParameters()
    {
        using var block = new RepVggBlock(new ConvGeometry(4, 4));
        var weights = KernelReactivation.ConvolutionWeights(block);
        CollectionAssert.AreEquivalent(new[] { "4x4x3x3", "4x4x1x1" }, weights.Select(w => string.Join('x', w.shape)).ToArray());
    }

    [TestMethod]
    public void OutOfRangeFractionsAreRejected()
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new KernelReactivation(new KernelReactivationOptions { Beta = 1.5 }));
        StringAssert.Contains(error.Message, "Beta");
    }

    private static Tensor Weights(double[][] norms)
    {
        var values = norms.SelectMany(filter => filter.SelectMany(norm => Pattern.Select(p => (float)(p * norm / 4)))).ToArray();
        return tensor(values).reshape(norms.Length, norms[0].Length, 2, 2);
    }

    private static void AssertKernel(Tensor weights, int filter, int kernel, double expectedNorm)
    {
        var values = weights[filter, kernel].flatten().data<float>().ToArray();
        Assert.AreEqual(expectedNorm, values.Sum(Math.Abs), 1e-6);
        for (var i = 0; i < Pattern.Length; i++)
        {
            Assert.AreEqual(Pattern[i] / Pattern[0], values[i] / values[0], 1e-6);
        }
    }

    private static double Median(Action action)
    {
        action();
        var times = Enumerable.Range(0, 5).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed.TotalMilliseconds;
        }).Order().ToList();
        return times[2];
    }
}
