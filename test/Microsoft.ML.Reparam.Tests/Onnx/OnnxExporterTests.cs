using Google.Protobuf;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Onnx;

[TestClass]
public sealed class OnnxExporterTests
{
    private static readonly ClassifierArchitecture Small = new(3, 10, 10, 4, [6, 12], [2, 1], [1, 2]);

    public static IEnumerable<object[]> SpecNames => TestModels.AllSpecs.Select(spec => (object[])[spec.Name]);

    [TestMethod]
    [DynamicData(nameof(SpecNames))]
    public void ExportedGraphMatchesTheFoldedAndTheUnfoldedModel(string spec)
    {
        using var scope = NewDisposeScope();
        var (model, plain) = FoldedModel(TestModels.Spec(spec));
        using (model)
        using (var folded = new PlainGraphModule(plain))
        using (var runner = new OnnxModelRunner(OnnxExporter.Export(plain, new OnnxExportOptions())))
        {
            var input = randn(3, 3, 10, 10);
            using var noGrad = no_grad();
            var onnx = tensor(runner.Run(input.data<float>().ToArray(), [3, 3, 10, 10])).reshape(3, 4);

            Assert.IsLessThanOrEqualTo(1e-4, FoldVerifier.Compare(folded.forward(input), onnx).MaxAbsolute);
            Assert.IsLessThanOrEqualTo(1e-4, FoldVerifier.Compare(model.forward(input), onnx).MaxAbsolute);
        }
    }

    [TestMethod]
    public void NormalizationAndSoftmaxInTheGraphEqualNormalizingBeforeTheModel()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var model = new VggClassifier(Small, BlockKind.RepVgg);
        TestModels.Randomize(model);
        float[] mean = [0.1f, 0.2f, 0.3f];
        float[] std = [0.5f, 0.25f, 2f];
        var plain = GraphFolder.Fold(model, new PlainShape(3, 10, 10), new PlainNormalize(mean, std), (graph, logits) => [graph.Add(new PlainSoftmax(), logits)]);
        using var runner = new OnnxModelRunner(OnnxExporter.Export(plain, new OnnxExportOptions()));
        var pixels = rand(2, 3, 10, 10);
        var normalized = (pixels - tensor(mean).reshape(1, 3, 1, 1)) / tensor(std).reshape(1, 3, 1, 1);
        using var noGrad = no_grad();
        var expected = nn.functional.softmax(model.forward(normalized), 1);
        var onnx = tensor(runner.Run(pixels.data<float>().ToArray(), [2, 3, 10, 10])).reshape(2, 4);

        Assert.IsLessThanOrEqualTo(1e-5, FoldVerifier.Compare(expected, onnx).MaxAbsolute);
        Assert.AreEqual(1.0, onnx[0].sum().item<float>(), 1e-5);
        Assert.AreEqual(1.0, onnx[1].sum().item<float>(), 1e-5);
    }

    [TestMethod]
    public void SymbolicBatchAndSizeAcceptAnyBatchAndSizeAndFixedOnesAreDeclared()
    {
        var (model, plain) = FoldedModel(BlockKind.Plain);
        model.Dispose();
        using (var runner = new OnnxModelRunner(OnnxExporter.Export(plain, new OnnxExportOptions())))
        {
            Assert.HasCount(4, runner.Run(new float[300], [1, 3, 10, 10]));
            Assert.HasCount(20, runner.Run(new float[5 * 3 * 17 * 13], [5, 3, 17, 13]));
        }

        var symbolic = ModelProto.Parser.ParseFrom(OnnxExporter.Export(plain, new OnnxExportOptions()));
        CollectionAssert.AreEqual(new[] { "N", string.Empty, "H", "W" }, symbolic.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam).ToArray());
        var fixedModel = ModelProto.Parser.ParseFrom(OnnxExporter.Export(plain, new OnnxExportOptions { BatchSize = 1, FixedSize = true }));
        CollectionAssert.AreEqual(new long[] { 1, 3, 10, 10 }, fixedModel.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray());
        Assert.AreEqual(17, fixedModel.OpsetImport.Single().Version);
    }

    [TestMethod]
    public void SpectralDownsamplingFixesTheExportedSize()
    {
        manual_seed(21);
        using var model = new VggClassifier(Small, BlockKind.Plain, new DownsamplingSpec(DownsamplingKind.DiffStride));
        var plain = GraphFolder.Fold(model, new PlainShape(3, 10, 10));

        var exported = ModelProto.Parser.ParseFrom(OnnxExporter.Export(plain, new OnnxExportOptions()));

        Assert.IsTrue(plain.FixesSize);
        CollectionAssert.AreEqual(new long[] { 0, 3, 10, 10 }, exported.Graph.Input[0].Type.TensorType.Shape.Dim.Select(d => d.DimValue).ToArray());
    }

    [TestMethod]
    public void GraphUsesOnlyStandardOperators()
    {
        var graph = new GraphBuilder(new PlainShape(1, 8, 8));
        var x = graph.Add(new PlainNormalize([0.5f], [0.5f]), graph.Input);
        x = graph.Add(new PlainPool(PlainPoolKind.Max, 2, 2), graph.Add(new PlainRelu(), graph.Add(new PlainConv(new float[4 * 9], new float[4], 4, 1, 3, 1, 1, 1), x)));
        x = graph.Add(new PlainLinear(new float[8], new float[2], 2, 4), graph.Add(new PlainGlobalAveragePool(), x));
        var network = graph.Build(graph.Add(new PlainSoftmax(), x));

        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(network, new OnnxExportOptions()));

        var ops = model.Graph.Node.Select(n => n.OpType).ToHashSet();
        CollectionAssert.AreEquivalent(new[] { "Sub", "Div", "Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm", "Softmax", "Identity" }, ops.ToArray());
        Assert.IsTrue(model.Graph.Node.All(n => string.IsNullOrEmpty(n.Domain)));
        using var runner = new OnnxModelRunner(model.ToByteArray());
        var output = runner.Run(Enumerable.Repeat(0.5f, 64).ToArray(), [1, 1, 8, 8]);
        Assert.AreEqual(0.5f, output[0], 1e-6f); // all-zero weights: equal logits, softmax ½ each
    }

    [TestMethod]
    public void BadOptionsAreRejectedByName()
    {
        var (model, plain) = FoldedModel(BlockKind.Plain);
        model.Dispose();

        var names = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { OutputNames = ["a", "b"] }));
        StringAssert.Contains(names.Message, "OutputNames has 2 names but the graph has 1 outputs");
        var clash = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { OutputNames = ["input"] }));
        StringAssert.Contains(clash.Message, "distinct");
        var batch = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { BatchSize = 0 }));
        StringAssert.Contains(batch.Message, "BatchSize");
        var opset = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { OpsetVersion = 13 }));
        StringAssert.Contains(opset.Message, "OpsetVersion must be 15 or later");
    }

    private static (VggClassifier Model, PlainGraph Plain) FoldedModel(BlockSpec kind)
    {
        manual_seed(21);
        var model = new VggClassifier(Small, kind);
        TestModels.Randomize(model);
        model.eval();
        return (model, GraphFolder.Fold(model, new PlainShape(3, 10, 10)));
    }
}
