using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

/// <summary>After the process's convolution check, float32 convolutions of the channel counts oneDNN got wrong on an AMD family-26 CPU are right.</summary>
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
}
