using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Downsampling;

[TestClass]
public sealed class SpectralDownsamplingTests
{
    [TestMethod]
    public void StrideGradientMatchesFiniteDifferences()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var layer = new DiffStride(new SpectralDownsamplerOptions { StrideHeight = 1.7, StrideWidth = 2.3 });
        var input = randn(2, 3, 16, 16, float64);
        var weights = randn(layer.forward(input).shape, float64);
        double Loss() => (layer.forward(input) * weights).sum().item<double>();

        (layer.forward(input) * weights).sum().backward();
        var analytic = layer.StrideParameter.grad!.to(float64).data<double>().ToArray();

        for (var axis = 0; axis < 2; axis++)
        {
            var centre = layer.StrideParameter[axis].item<float>();
            var (up, down) = (SetStride(layer, axis, centre + 0.01f), SetStride(layer, axis, centre - 0.01f));
            SetStride(layer, axis, up);
            var lossUp = Loss();
            SetStride(layer, axis, down);
            var lossDown = Loss();
            SetStride(layer, axis, centre);
            var numeric = (lossUp - lossDown) / (up - down);
            Assert.AreEqual(numeric, analytic[axis], 1e-3 * Math.Abs(numeric), $"axis {axis}: autograd {analytic[axis]} vs finite difference {numeric}");
            Assert.IsGreaterThan(1e-3, Math.Abs(numeric), "the stride must influence the loss");
        }
    }

    [TestMethod]
    [DataRow(16, 16, 2.0, 2.0)]
    [DataRow(28, 28, 2.6, 1.4)]
    [DataRow(15, 21, 3.0, 2.2)]
    [DataRow(9, 10, 1.0, 1.0)]
    [DataRow(12, 12, 12.0, 5.0)]
    public void DeployedMatricesReproduceTheFftPath(int height, int width, double strideHeight, double strideWidth)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var layer = new DiffStride(new SpectralDownsamplerOptions { StrideHeight = strideHeight, StrideWidth = strideWidth });
        var input = randn(2, 3, height, width, float64);
        var expected = layer.forward(input);
        var graph = new GraphBuilder(new PlainShape(3, height, width));
        using var deployed = new PlainGraphModule(graph.Build(graph.Add(layer.PlainForm(graph.Input.Shape), graph.Input)));

        var actual = deployed.forward(input.to(float32)).to(float64);

        CollectionAssert.AreEqual(expected.shape, actual.shape);
        var relative = (actual - expected).abs().max().item<double>() / expected.abs().max().item<double>();
        Assert.IsLessThan(1e-5, relative, $"{height}x{width} at stride {strideHeight}x{strideWidth}: {expected.shape[2]}x{expected.shape[3]} out");
    }

    [TestMethod]
    public void OutputSizeFollowsTheCropAndConstantsSurvive()
    {
        using var scope = NewDisposeScope();
        using var layer = new SpectralPooling(SpectralDownsamplerOptions.Square(2));
        var output = layer.forward(full(new long[] { 1, 1, 32, 32 }, 0.75, float64));

        // T_h = 8, |f| < 12 kept: 23 rows; T_w = 9, f < 13 kept: 25 columns (docs/diffstride.md, D3).
        CollectionAssert.AreEqual(new long[] { 1, 1, 23, 25 }, output.shape);
        Assert.AreEqual(0.75, output.mean().item<double>(), 1e-12);
        Assert.AreEqual(0, output.std().item<double>(), 1e-12);
        Assert.IsNull(layer.StrideParameter.grad);
        Assert.IsFalse(layer.StrideParameter.requires_grad);
    }

    [TestMethod]
    public void StrideAtItsLowerBoundIsProjectedAndStillLearns()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var layer = new DiffStride(SpectralDownsamplerOptions.Square(1));
        var input = randn(1, 2, 16, 16);

        (layer.forward(input) * randn(1, 2, 16, 16)).sum().backward();

        // Lower bound n/(n − R) = 16/12 (docs/diffstride.md, D3); a clamp inside the graph would leave no gradient here.
        Assert.AreEqual(16 / 12.0, layer.StrideParameter[0].item<float>(), 1e-6);
        Assert.IsGreaterThan(1e-4, layer.StrideParameter.grad!.abs().min().item<float>());
    }

    [TestMethod]
    public void DiffStrideClassifierFoldsAndRunsInOnnxWithoutADftOperator()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 20, 20, 3, [4, 8, 8], [1, 1, 1], [1, 2, 3]), BlockKind.RepVgg, DownsamplingKind.DiffStride);
        TestModels.Randomize(model);
        var layers = Downsamplers.In(model);
        Assert.HasCount(2, layers);
        SetStride(layers[0], 0, 1.6f);
        SetStride(layers[0], 1, 2.45f);
        SetStride(layers[1], 0, 2.7f);
        SetStride(layers[1], 1, 1.3f);
        model.eval();
        var input = randn(4, 1, 20, 20);

        var plain = GraphFolder.Fold(model, new PlainShape(1, 20, 20));
        var onnx = OnnxExporter.Export(plain, new OnnxExportOptions());
        using var runner = new OnnxModelRunner(onnx);
        var expected = model.forward(input).to(float64);
        var actual = tensor(runner.Run(input.data<float>().ToArray(), [4, 1, 20, 20])).reshape(expected.shape).to(float64);

        var relative = (actual - expected).abs().max().item<double>() / expected.abs().max().item<double>();
        Assert.IsLessThan(1e-5, relative);
        var ops = ModelProto.Parser.ParseFrom(onnx).Graph.Node.Select(n => n.OpType).ToHashSet();
        Assert.IsTrue(ops.Contains("MatMul"));
        Assert.IsFalse(ops.Any(op => op.Contains("DFT", StringComparison.OrdinalIgnoreCase) || op.Contains("FFT", StringComparison.OrdinalIgnoreCase)), string.Join(", ", ops));
        var strides = LearnedStride.Of(model, plain);
        Assert.AreEqual(1.6, strides[0].Height, 1e-6);
        Assert.AreEqual(2.45, strides[0].Width, 1e-6);
        Assert.AreEqual((20, 20), (strides[0].InputHeight, strides[0].InputWidth));
        Assert.AreEqual((strides[0].OutputHeight, strides[0].OutputWidth), (strides[1].InputHeight, strides[1].InputWidth));
    }

    [TestMethod]
    public void SharedStrideLearnsOneValuePerLayerAndFoldsExactly()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 16, 12, 2, [4, 4], [1, 1], [1, 2]), BlockKind.Plain, new DownsamplingSpec(DownsamplingKind.DiffStride, 3, SharedStride: true));
        var layer = Downsamplers.In(model).Single();
        SetStride(layer, 0, 1.8f);
        model.eval();
        var input = randn(3, 1, 16, 12);

        var plain = GraphFolder.Fold(model, new PlainShape(1, 16, 12));
        using var folded = new PlainGraphModule(plain);
        var error = FoldVerifier.Measure(model, folded, input);

        Assert.AreEqual(1L, layer.StrideParameter.shape[0]);
        var stride = LearnedStride.Of(model, plain).Single();
        Assert.AreEqual((1.8, 1.8), (Math.Round(stride.Height, 5), Math.Round(stride.Width, 5)));
        Assert.IsLessThan(1e-5, error.MaxRelative);
    }

    [TestMethod]
    public void ComplexityCostMultipliesTheKeptResolutionUpToEachLayer()
    {
        using var scope = NewDisposeScope();
        using var model = new VggClassifier(new ClassifierArchitecture(1, 16, 16, 2, [4, 4, 4], [1, 1, 1], [1, 2, 2]), BlockKind.Plain, DownsamplingKind.DiffStride);
        var layers = Downsamplers.In(model);
        SetStride(layers[0], 0, 2);
        SetStride(layers[0], 1, 2);
        SetStride(layers[1], 0, 3);
        SetStride(layers[1], 1, 1.5f);

        var cost = StrideComplexityRegularizer.Cost(model)!.item<float>();
        var loss = new StrideComplexityRegularizer(0.5).RegularizationLoss(model)!.item<float>();

        Assert.AreEqual((1 / 4.0) + (1 / (4 * 4.5)), cost, 1e-6);
        Assert.AreEqual(0.5 * cost, loss, 1e-6);
        Assert.IsNull(new StrideComplexityRegularizer(0).RegularizationLoss(model));
    }

    [TestMethod]
    public void BadStridesAndWeightsAreRejectedByName()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DiffStride(new SpectralDownsamplerOptions { StrideWidth = 0.5 })).Message, "StrideWidth");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new SpectralPooling(new SpectralDownsamplerOptions { Smoothness = 0 })).Message, "smoothness R");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new StrideComplexityRegularizer(-1)).Message, "λ");
        using var layer = new DiffStride(SpectralDownsamplerOptions.Square(2));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => layer.forward(zeros(3, 8, 8))).Message, "[N, C, H, W]");
    }

    private static float SetStride(SpectralDownsampler layer, int axis, float value)
    {
        using var noGrad = no_grad();
        layer.StrideParameter[axis] = value;
        return layer.StrideParameter[axis].item<float>();
    }
}
