using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Folding;

/// <summary>Networks that are not chains fold through the walker and export at any size (issue: plain graph and task seam).</summary>
[TestClass]
public sealed class GraphFoldingTests
{
    public static IEnumerable<object[]> SpecNames => TestModels.AllSpecs.Select(spec => (object[])[spec.Name]);

    [TestMethod]
    [DynamicData(nameof(SpecNames))]
    public void ResNetClassifierFoldsAndExportsExactlyAtSeveralSizes(string spec)
    {
        manual_seed(4);
        using var model = new ResNetClassifier(new ClassifierArchitecture(2, 12, 12, 5, [6, 8], [2, 1], [1, 2]), spec: TestModels.Spec(spec));
        TestModels.Randomize(model);

        var graph = GraphFolder.Fold(model, new PlainShape(2, 12, 12));
        var (fold, onnx) = FoldVerifier.MeasureAtSizes(model, graph, [(12, 12), (15, 11)]);

        Assert.IsLessThanOrEqualTo(1e-5, fold.MaxRelative, fold.ToString());
        Assert.IsLessThanOrEqualTo(1e-4, onnx.MaxAbsolute, onnx.ToString());
        Assert.AreEqual(3, graph.Ops.OfType<PlainAdd>().Count()); // one per residual block
        Assert.AreEqual(1 + (2 * 3) + 1, graph.Ops.OfType<PlainConv>().Count()); // stem, two per block, one projection
        Assert.IsFalse(graph.FixesSize);
    }

    [TestMethod]
    public void ResNetSharesOneSpectralLayerBetweenMainPathAndShortcut()
    {
        manual_seed(6);
        using var model = new ResNetClassifier(new ClassifierArchitecture(1, 14, 14, 3, [4, 6], [1, 1], [1, 2]), new DownsamplingSpec(DownsamplingKind.DiffStride), BlockKind.Dbb);
        TestModels.Randomize(model);

        var graph = GraphFolder.Fold(model, new PlainShape(1, 14, 14));
        var (fold, onnx) = FoldVerifier.MeasureAtSizes(model, graph, [(14, 14)]);

        var resizes = graph.Ops.OfType<PlainSpectralResize>().ToList();
        Assert.HasCount(2, resizes);
        Assert.AreSame(resizes[0], resizes[1]);
        Assert.HasCount(1, LearnedStride.Of(model, graph));
        Assert.IsTrue(graph.FixesSize);
        Assert.IsLessThanOrEqualTo(1e-5, fold.MaxRelative, fold.ToString());
        Assert.IsLessThanOrEqualTo(1e-4, onnx.MaxAbsolute, onnx.ToString());
    }

    [TestMethod]
    [DataRow("RepVgg", PlainResizeMode.Nearest)]
    [DataRow("Dbb", PlainResizeMode.Bilinear)]
    [DataRow("Nkr-SelfAttention", PlainResizeMode.Nearest)]
    public void UNetFoldsAndOneExportRunsAtAnySize(string spec, PlainResizeMode upsampling)
    {
        manual_seed(8);
        using var model = new UNet(3, 4, [6, 8, 10], TestModels.Spec(spec), upsampling: upsampling);
        TestModels.Randomize(model);

        var graph = GraphFolder.Fold(model, new PlainShape(3, 64, 64));
        var (fold, onnx) = FoldVerifier.MeasureAtSizes(model, graph, [(64, 64), (123, 77), (200, 160)], batch: 1);

        Assert.IsLessThanOrEqualTo(1e-5, fold.MaxRelative, fold.ToString());
        Assert.IsLessThanOrEqualTo(1e-4, onnx.MaxAbsolute, onnx.ToString());
        Assert.AreEqual(2, graph.Ops.OfType<PlainConcat>().Count());
        Assert.AreEqual(2, graph.Ops.OfType<PlainResize>().Count());
        Assert.AreEqual(new PlainShape(4, 64, 64), graph.Shapes[graph.Outputs[0]]);
        var exported = ModelProto.Parser.ParseFrom(OnnxExporter.Export(graph, new OnnxExportOptions()));
        CollectionAssert.AreEqual(new[] { "N", string.Empty, "H", "W" }, exported.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam).ToArray());
    }

    [TestMethod]
    public void ALayerWithoutAPlainFormIsNamed()
    {
        using var model = nn.Sequential(nn.Conv2d(1, 2, 3, padding: 1), nn.Sigmoid());

        var error = Assert.ThrowsExactly<NotSupportedException>(() => GraphFolder.Fold(model, new PlainShape(1, 8, 8)));

        StringAssert.Contains(error.Message, "Layer 'Sigmoid' has no plain form");
    }

    [TestMethod]
    public void ShapeRulesRejectMismatchedInputsAsTheGraphIsBuilt()
    {
        var graph = new GraphBuilder(new PlainShape(2, 8, 8));
        var pooled = graph.Add(new PlainPool(PlainPoolKind.Max, 2, 2), graph.Input);

        var add = Assert.ThrowsExactly<ArgumentException>(() => graph.Add(new PlainAdd(), graph.Input, pooled));
        StringAssert.Contains(add.Message, "PlainAdd takes two values of one shape; got [2, 8, 8] and [2, 4, 4]");
        var conv = Assert.ThrowsExactly<ArgumentException>(() => graph.Add(new PlainConv(new float[27], new float[1], 1, 3, 3, Padding: 1), graph.Input));
        StringAssert.Contains(conv.Message, "with 3 channels; got [2, 8, 8]");
    }
}
