using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Blocks;

[TestClass]
public sealed class FoldExactnessTests
{
    public static IEnumerable<object[]> Shapes =>
    [
        [8, 8, 1, 1],   // identity branch present
        [8, 8, 2, 1],   // stride 2: no identity
        [8, 16, 1, 1],  // in != out
        [6, 12, 2, 3],  // grouped
        [8, 8, 1, 8],   // depthwise, identity present
        [8, 8, 2, 8],   // depthwise, stride 2
    ];

    public static IEnumerable<object[]> SpecsAndShapes =>
        TestModels.AllSpecs.SelectMany(spec => Shapes.Select(shape => (object[])[spec.Name, .. shape]));

    public static IEnumerable<object[]> SpecNames => TestModels.AllSpecs.Select(spec => (object[])[spec.Name]);

    [TestMethod]
    [DynamicData(nameof(SpecsAndShapes))]
    public void BlockFoldsExactly(string spec, int inChannels, int outChannels, int stride, int groups)
    {
        AssertBlockFoldsExactly(TestModels.Spec(spec), new ConvGeometry(inChannels, outChannels, 3, stride, groups));
    }

    [TestMethod]
    [DynamicData(nameof(SpecNames))]
    public void BlockWithFiveByFiveKernelFoldsExactly(string spec)
    {
        AssertBlockFoldsExactly(TestModels.Spec(spec), new ConvGeometry(4, 4, 5, 1, 1));
        AssertBlockFoldsExactly(TestModels.Spec(spec), new ConvGeometry(4, 6, 5, 2, 2));
    }

    [TestMethod]
    [DynamicData(nameof(SpecNames))]
    public void FoldedClassifierHasExactlyThePlainModelsShapeAndParameterCount(string spec)
    {
        using var scope = NewDisposeScope();
        var architecture = new ClassifierArchitecture(1, 12, 12, 5, [8, 16], [2, 2], [1, 2]);
        using var plainModel = new VggClassifier(architecture, BlockKind.Plain);
        using var model = new VggClassifier(architecture, TestModels.Spec(spec));
        var expected = GraphFolder.Fold(plainModel, new PlainShape(1, 12, 12));
        var actual = GraphFolder.Fold(model, new PlainShape(1, 12, 12));

        Assert.AreEqual(expected.ParameterCount, actual.ParameterCount);
        CollectionAssert.AreEqual(expected.Ops.Select(Describe).ToList(), actual.Ops.Select(Describe).ToList());
    }

    [TestMethod]
    public void VggClassifierFoldsIntoAPlainNetworkWithTheSameOutputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var architecture = new ClassifierArchitecture(1, 12, 12, 5, [8, 16], [2, 2], [1, 2]);
        using var model = new VggClassifier(architecture, BlockKind.RepVgg);
        TestModels.RandomizeBatchNorm(model);
        var plain = GraphFolder.Fold(model, new PlainShape(1, 12, 12));
        using var folded = new PlainGraphModule(plain);

        var error = FoldVerifier.Measure(model, folded, randn(4, 1, 12, 12));

        Assert.IsTrue(error.MaxRelative <= 1e-5, error.ToString());
        Assert.AreEqual(4, plain.Ops.OfType<PlainConv>().Count());
        Assert.AreEqual(4, plain.Ops.OfType<PlainRelu>().Count());
        // 1→8, 8→8, 8→16, 16→16 convolutions (3x3 + bias) and a 16→5 linear head.
        var expected = (8 * 9 + 8) + (8 * 8 * 9 + 8) + (16 * 8 * 9 + 16) + (16 * 16 * 9 + 16) + (5 * 16 + 5);
        Assert.AreEqual(expected, plain.ParameterCount);
    }

    private static string Describe(PlainOp layer) => layer switch
    {
        PlainConv conv => $"conv {conv.OutChannels}x{conv.InChannelsPerGroup}/{conv.Groups} k{conv.KernelSize} s{conv.Stride} p{conv.Padding}",
        _ => layer.GetType().Name,
    };

    private static void AssertBlockFoldsExactly(BlockSpec kind, ConvGeometry geometry)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var block = BlockFactory.Create(kind, geometry);
        TestModels.Randomize(block);
        block.eval();
        var input = randn(2, geometry.InChannels, 9, 9);

        using var noGrad = no_grad();
        var (kernel, bias) = ((IReparamBlock)block).GetEquivalentKernelAndBias();
        var expected = block.forward(input);
        var actual = nn.functional.conv2d(input, kernel, bias, strides: [geometry.Stride, geometry.Stride], padding: [geometry.Padding, geometry.Padding], groups: geometry.Groups);
        var error = FoldVerifier.Compare(expected, actual);

        CollectionAssert.AreEqual(geometry.KernelShape, kernel.shape);
        Assert.IsTrue(error.MaxRelative <= 1e-5, $"{kind} {geometry}: {error}");
    }
}
