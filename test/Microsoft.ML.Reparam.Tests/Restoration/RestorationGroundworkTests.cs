using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tasks.Restoration;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Restoration;

/// <summary>The networks and metrics super-resolution and denoising will be built on: they fold exactly at any size, and the metrics give known values.</summary>
[TestClass]
public sealed class RestorationGroundworkTests
{
    [TestMethod]
    [DataRow("Ecb", 2)]
    [DataRow("RepVgg", 3)]
    [DataRow("Dbb", 4)]
    [DataRow("Nkr-GatedFeedForward", 2)]
    public void TheEcbsrLayoutFoldsWithItsPixelShuffleAndGlobalResidualAtAnySize(string spec, int scale)
    {
        manual_seed(12);
        using var model = new SuperResolutionNet(1, scale, blocks: 2, width: 8, TestModels.Spec(spec));
        TestModels.Randomize(model);

        var graph = GraphFolder.Fold(model, new PlainShape(1, 16, 16));
        var (fold, onnx) = FoldVerifier.MeasureAtSizes(model, graph, [(16, 16), (21, 13)]);

        Assert.IsLessThanOrEqualTo(1e-5, fold.MaxRelative, fold.ToString());
        Assert.IsLessThanOrEqualTo(1e-4, onnx.MaxAbsolute, onnx.ToString());
        Assert.AreEqual(new PlainShape(1, 16 * scale, 16 * scale), graph.Shapes[graph.Outputs[0]]);
        CollectionAssert.AreEqual(new[] { typeof(PlainConv), typeof(PlainPrelu), typeof(PlainConv), typeof(PlainPrelu), typeof(PlainConv), typeof(PlainPrelu), typeof(PlainConv), typeof(PlainDepthToSpace), typeof(PlainResize), typeof(PlainAdd) }, graph.Ops.Select(o => o.GetType()).ToArray());
    }

    [TestMethod]
    [DataRow("Plain")]
    [DataRow("Acb")]
    [DataRow("MobileOne-k2")]
    public void TheDnCnnLayoutFoldsItsSubtractionIntoTheLastConvolution(string spec)
    {
        manual_seed(13);
        using var model = new DenoisingNet(1, depth: 3, width: 8, TestModels.Spec(spec));
        TestModels.Randomize(model);

        var graph = GraphFolder.Fold(model, new PlainShape(1, 20, 20));
        var (fold, onnx) = FoldVerifier.MeasureAtSizes(model, graph, [(20, 20), (17, 29)]);

        Assert.IsLessThanOrEqualTo(1e-5, fold.MaxRelative, fold.ToString());
        Assert.IsLessThanOrEqualTo(1e-4, onnx.MaxAbsolute, onnx.ToString());
        Assert.AreEqual(1, graph.Ops.OfType<PlainAdd>().Count());
        Assert.AreEqual(4, graph.Ops.OfType<PlainConv>().Count());
    }

    [TestMethod]
    public void PsnrSsimAndLumaGiveKnownValues()
    {
        var expected = Enumerable.Repeat(100.0, 16 * 16).ToArray();
        var actual = Enumerable.Repeat(110.0, 16 * 16).ToArray();
        var bordered = (double[])expected.Clone();
        bordered[0] = 0; // a difference inside the cropped border only

        Assert.AreEqual(10 * Math.Log10(255.0 * 255.0 / 100), ImageQuality.Psnr(expected, actual, 16, 16), 1e-12);
        Assert.AreEqual(double.PositiveInfinity, ImageQuality.Psnr(expected, bordered, 16, 16, border: 2));
        Assert.AreEqual(1.0, ImageQuality.Ssim(expected, expected, 16, 16), 1e-12);
        var c1 = 0.01 * 255 * 0.01 * 255;
        Assert.AreEqual(((2 * 100.0 * 110) + c1) / ((100.0 * 100) + (110.0 * 110) + c1), ImageQuality.Ssim(expected, actual, 16, 16), 1e-12); // equal (zero) variances
        CollectionAssert.AreEqual(new[] { 16.0, 235.0 }, ImageQuality.Luma([0, 0, 0, 255, 255, 255]).Select(v => Math.Round(v, 9)).ToArray());
        var small = Assert.ThrowsExactly<ArgumentException>(() => ImageQuality.Ssim(new double[100], new double[100], 10, 10));
        StringAssert.Contains(small.Message, "smaller than the 11x11 SSIM window");
    }
}
