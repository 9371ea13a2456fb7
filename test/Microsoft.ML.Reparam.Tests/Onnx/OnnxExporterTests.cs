using Google.Protobuf;
using Microsoft.ML.Reparam.Blocks;
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
        using (var folded = new PlainNetworkModule(plain))
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
        var (model, plain) = FoldedModel(BlockKind.RepVgg);
        float[] mean = [0.1f, 0.2f, 0.3f];
        float[] std = [0.5f, 0.25f, 2f];
        var options = new OnnxExportOptions { InputMean = mean, InputStd = std, AppendSoftmax = true };
        using (model)
        using (var runner = new OnnxModelRunner(OnnxExporter.Export(plain, options)))
        {
            var pixels = rand(2, 3, 10, 10);
            var normalized = (pixels - tensor(mean).reshape(1, 3, 1, 1)) / tensor(std).reshape(1, 3, 1, 1);
            using var noGrad = no_grad();
            var expected = nn.functional.softmax(model.forward(normalized), 1);
            var onnx = tensor(runner.Run(pixels.data<float>().ToArray(), [2, 3, 10, 10])).reshape(2, 4);

            Assert.IsLessThanOrEqualTo(1e-5, FoldVerifier.Compare(expected, onnx).MaxAbsolute);
            Assert.AreEqual(1.0, onnx[0].sum().item<float>(), 1e-5);
            Assert.AreEqual(1.0, onnx[1].sum().item<float>(), 1e-5);
        }
    }

    [TestMethod]
    public void SymbolicBatchAcceptsAnyBatchSizeAndAFixedBatchIsDeclared()
    {
        var (model, plain) = FoldedModel(BlockKind.Plain);
        model.Dispose();
        using (var runner = new OnnxModelRunner(OnnxExporter.Export(plain, new OnnxExportOptions())))
        {
            Assert.HasCount(4, runner.Run(new float[300], [1, 3, 10, 10]));
            Assert.HasCount(20, runner.Run(new float[1500], [5, 3, 10, 10]));
        }

        var fixedBatch = ModelProto.Parser.ParseFrom(OnnxExporter.Export(plain, new OnnxExportOptions { BatchSize = 1 }));
        Assert.AreEqual(1, fixedBatch.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimValue);
        Assert.AreEqual(17, fixedBatch.OpsetImport.Single().Version);
    }

    [TestMethod]
    public void GraphUsesOnlyStandardOperators()
    {
        var network = new PlainNetwork(1, 8, 8,
        [
            new PlainConv(new float[4 * 9], new float[4], 4, 1, 3, 1, 1, 1), new PlainRelu(), new PlainMaxPool(2, 2),
            new PlainGlobalAveragePool(), new PlainLinear(new float[8], new float[2], 2, 4),
        ]);

        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(network, new OnnxExportOptions { AppendSoftmax = true, InputMean = [0.5f], InputStd = [0.5f] }));

        var ops = model.Graph.Node.Select(n => n.OpType).ToHashSet();
        CollectionAssert.AreEquivalent(new[] { "Sub", "Div", "Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm", "Softmax" }, ops.ToArray());
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

        var mean = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { InputMean = [0.5f] }));
        StringAssert.Contains(mean.Message, "InputMean has 1 values but the network takes 3 channel(s)");
        var std = Assert.ThrowsExactly<ArgumentException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { InputStd = [1f, 0f, 1f] }));
        StringAssert.Contains(std.Message, "InputStd values must be positive");
        var batch = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => OnnxExporter.Export(plain, new OnnxExportOptions { BatchSize = 0 }));
        StringAssert.Contains(batch.Message, "BatchSize");
    }

    private static (VggClassifier Model, PlainNetwork Plain) FoldedModel(BlockSpec kind)
    {
        manual_seed(21);
        var model = new VggClassifier(Small, kind);
        TestModels.Randomize(model);
        model.eval();
        return (model, NetworkFolder.Fold(model));
    }
}
