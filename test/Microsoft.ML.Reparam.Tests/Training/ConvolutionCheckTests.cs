using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

/// <summary>After the process's convolution check, float32 convolutions of the channel counts oneDNN got wrong on an AMD family-26 CPU are right; the per-model check leaves the model as it found it.</summary>
[TestClass]
public sealed class ConvolutionCheckTests
{
    [TestMethod]
    [DataRow(12)]
    [DataRow(24)]
    [DataRow(40)]
    public void ConvolutionsAgreeWithADoublePrecisionReference(int channels)
    {
        ConvolutionCheck.Ensure();
        using var scope = NewDisposeScope();
        manual_seed(channels);
        var input = randn(2, channels, 9, 9);
        var weight = randn(channels, channels, 3, 3);
        var expected = nn.functional.conv2d(input.to(float64), weight.to(float64), padding: [1, 1]);
        var actual = nn.functional.conv2d(input, weight, padding: [1, 1]).to(float64);

        var error = ((actual - expected).abs().max() / expected.abs().max()).item<double>();
        Assert.IsLessThan(1e-5, error, $"oneDNN error before the check: {ConvolutionCheck.Result.OneDnnError}; turned off: {ConvolutionCheck.Result.OneDnnDisabled}");
    }

    [TestMethod]
    public void TheModelCheckLeavesTheModelAsItFoundIt()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 12, 12, 3, [8, 16], [1, 1], [1, 2]), BlockKind.RepVgg);
        model.train();
        var before = model.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.clone());

        var difference = ConvolutionCheck.EnsureFor(model, randn(4, 1, 12, 12));

        Assert.IsTrue(difference is >= 0 and <= 1e-3 || ConvolutionCheck.Result.OneDnnDisabled, $"difference {difference}");
        Assert.IsTrue(model.training, "training mode restored");
        foreach (var (name, value) in model.state_dict())
        {
            Assert.IsTrue(value.eq(before[name]).all().item<bool>(), $"{name} unchanged (no running-statistics update)");
        }

        Assert.IsTrue(model.parameters().All(p => p.grad is null || p.grad.eq(0).all().item<bool>()), "gradients left at zero");
    }

    [TestMethod]
    public void TwoPassesOfOneModelAgreeAndAChangedWeightShows()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 12, 12, 3, [8, 16], [1, 1], [1, 2]), BlockKind.Plain);
        model.eval();
        var batch = randn(2, 1, 12, 12);
        using var first = new ModelPass(model, batch);
        using var second = new ModelPass(model, batch);
        using (no_grad())
        {
            model.parameters().First().add_(1);
        }

        using var changed = new ModelPass(model, batch);

        Assert.AreEqual(0, second.RelativeDifference(first));
        Assert.IsGreaterThan(1e-3, changed.RelativeDifference(first));
    }
}
