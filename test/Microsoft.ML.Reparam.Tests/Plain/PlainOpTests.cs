using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Plain;

/// <summary>
/// Every plain operation on its own, in a tiny graph: its TorchSharp evaluation equals its ONNX emission run in ONNX
/// Runtime (symbolic height and width, two input sizes unless the operation fixes the size), and its shape rule
/// equals the shape TorchSharp actually produces.
/// </summary>
[TestClass]
public sealed class PlainOpTests
{
    private const double Tolerance = 1e-5;

    /// <summary>The shape every case graph is built for.</summary>
    private static readonly PlainShape InputShape = new(4, 9, 7);

    /// <summary>A second size the graphs run at unless they fix the size.</summary>
    private static readonly (int Height, int Width) OtherSize = (12, 10);

    /// <summary>One row per operation (and per mode where an operation has several): its graph after the input.</summary>
    private static readonly Dictionary<string, Func<GraphBuilder, PlainValue, Random, PlainValue>> Cases = new()
    {
        ["Normalize"] = (g, x, r) => g.Add(new PlainNormalize(Values(r, 4), Values(r, 4, 0.5f, 2f)), x),
        ["Conv dilation 2 groups 2"] = (g, x, r) => g.Add(new PlainConv(Values(r, 6 * 2 * 3 * 3), Values(r, 6), 6, 2, 3, Stride: 1, Padding: 2, Groups: 2, Dilation: 2), x),
        ["Conv stride 2"] = (g, x, r) => g.Add(new PlainConv(Values(r, 5 * 4 * 3 * 3), Values(r, 5), 5, 4, 3, Stride: 2, Padding: 1), x),
        ["Relu"] = (g, x, r) => g.Add(new PlainRelu(), x),
        ["Prelu per channel"] = (g, x, r) => g.Add(new PlainPrelu(Values(r, 4)), x),
        ["Prelu shared"] = (g, x, r) => g.Add(new PlainPrelu([0.25f]), x),
        ["Prelu shared on a vector"] = (g, x, r) => g.Add(new PlainPrelu([-0.5f]), g.Add(new PlainGlobalAveragePool(), x)),
        ["LeakyRelu"] = (g, x, r) => g.Add(new PlainLeakyRelu(0.1f), x),
        ["Clip"] = (g, x, r) => g.Add(new PlainClip(-0.5f, 0.75f), x),
        ["MaxPool"] = (g, x, r) => g.Add(new PlainPool(PlainPoolKind.Max, 3, 2), x),
        ["AveragePool"] = (g, x, r) => g.Add(new PlainPool(PlainPoolKind.Average, 3, 2), x),
        ["AveragePool 2x2"] = (g, x, r) => g.Add(new PlainPool(PlainPoolKind.Average, 2, 2), x),
        ["GlobalAveragePool"] = (g, x, r) => g.Add(new PlainGlobalAveragePool(), x),
        ["Linear"] = (g, x, r) => g.Add(new PlainLinear(Values(r, 5 * 4), Values(r, 5), 5, 4), g.Add(new PlainGlobalAveragePool(), x)),
        ["SpectralResize"] = (g, x, r) => g.Add(new PlainSpectralResize(Values(r, 5 * 9), Values(r, 4 * 7), 5, 9, 4, 7), x),
        ["Add"] = (g, x, r) => g.Add(new PlainAdd(), x, Conv1x1(g, x, r, 4)),
        ["Concat"] = (g, x, r) => g.Add(new PlainConcat(), x, Conv1x1(g, x, r, 3), g.Add(new PlainRelu(), x)),
        ["Resize nearest up"] = (g, x, r) => g.Add(new PlainResize(PlainResizeMode.Nearest), g.Add(new PlainPool(PlainPoolKind.Max, 2, 2), x), x),
        ["Resize nearest down"] = (g, x, r) => g.Add(new PlainResize(PlainResizeMode.Nearest), x, g.Add(new PlainPool(PlainPoolKind.Max, 2, 2), x)),
        ["Resize bilinear up"] = (g, x, r) => g.Add(new PlainResize(PlainResizeMode.Bilinear), g.Add(new PlainPool(PlainPoolKind.Max, 2, 2), x), x),
        ["Resize bilinear down"] = (g, x, r) => g.Add(new PlainResize(PlainResizeMode.Bilinear), x, g.Add(new PlainPool(PlainPoolKind.Max, 2, 2), x)),
        ["Cubic upsample x2"] = (g, x, r) => g.Add(new PlainCubicUpsample(2), x),
        ["Cubic upsample x3"] = (g, x, r) => g.Add(new PlainCubicUpsample(3), x),
        ["Softmax on a map"] = (g, x, r) => g.Add(new PlainSoftmax(), x),
        ["Softmax on a vector"] = (g, x, r) => g.Add(new PlainSoftmax(), g.Add(new PlainGlobalAveragePool(), x)),
        // More than one output channel, so that the channel order (CRD, not ONNX's default DCR) matters.
        ["DepthToSpace 2"] = (g, x, r) => g.Add(new PlainDepthToSpace(2), Conv1x1(g, x, r, 12)),
        ["DepthToSpace 3"] = (g, x, r) => g.Add(new PlainDepthToSpace(3), Conv1x1(g, x, r, 18)),
        ["ArgMax on a map"] = (g, x, r) => g.Add(new PlainArgMax(), x),
        ["ArgMax on a vector"] = (g, x, r) => g.Add(new PlainArgMax(), g.Add(new PlainLinear(Values(r, 6 * 4), Values(r, 6), 6, 4), g.Add(new PlainGlobalAveragePool(), x))),
    };

    /// <summary>Shape-rule rejections: each builds a graph that cannot be, naming the operation that refuses it.</summary>
    private static readonly Dictionary<string, (string Op, Action<GraphBuilder, PlainValue> Build)> Rejections = new()
    {
        ["CubicUpsample by 1"] = (nameof(PlainCubicUpsample), (g, x) => g.Add(new PlainCubicUpsample(1), x)),
        ["DepthToSpace with indivisible channels"] = (nameof(PlainDepthToSpace), (g, x) => g.Add(new PlainDepthToSpace(2), Conv1x1(g, x, new Random(1), 6))),
        ["Add of different shapes"] = (nameof(PlainAdd), (g, x) => g.Add(new PlainAdd(), x, Conv1x1(g, x, new Random(1), 6))),
        ["Linear on a map"] = (nameof(PlainLinear), (g, x) => g.Add(new PlainLinear(new float[2 * 4], new float[2], 2, 4), x)),
        ["Prelu slopes not matching the channels"] = (nameof(PlainPrelu), (g, x) => g.Add(new PlainPrelu([0.1f, 0.2f, 0.3f]), x)),
        ["Prelu per channel on a vector"] = (nameof(PlainPrelu), (g, x) => g.Add(new PlainPrelu([0.1f, 0.2f, 0.3f, 0.4f]), g.Add(new PlainGlobalAveragePool(), x))),
        ["Clip with Min above Max"] = (nameof(PlainClip), (g, x) => g.Add(new PlainClip(1f, -1f), x)),
        ["AveragePool larger than the map"] = (nameof(PlainPool), (g, x) => g.Add(new PlainPool(PlainPoolKind.Average, 8, 1), x)),
        ["Concat of different sizes"] = (nameof(PlainConcat), (g, x) => g.Add(new PlainConcat(), x, g.Add(new PlainPool(PlainPoolKind.Max, 2, 2), x))),
        ["SpectralResize at another size"] = (nameof(PlainSpectralResize), (g, x) => g.Add(new PlainSpectralResize(new float[5 * 8], new float[4 * 7], 5, 8, 4, 7), x)),
        ["Conv with other input channels"] = (nameof(PlainConv), (g, x) => g.Add(new PlainConv(new float[2 * 3], new float[2], 2, 3, 1), x)),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(name => (object[])[name]);

    public static IEnumerable<object[]> RejectionNames => Rejections.Keys.Select(name => (object[])[name]);

    [TestMethod]
    [DynamicData(nameof(CaseNames))]
    public void OnnxEmissionMatchesTorchSharpAtEverySize(string name)
    {
        var graph = Graph(name);
        using var module = new PlainGraphModule(graph);
        using var runner = new OnnxModelRunner(OnnxExporter.Export(graph, new OnnxExportOptions()));
        foreach (var (height, width) in Sizes(graph))
        {
            using var scope = NewDisposeScope();
            manual_seed(5);
            var input = randn(2, InputShape.Channels, height, width);
            var expected = module.Run(input)[0].contiguous();
            var onnx = runner.Run(input.data<float>().ToArray(), [2, InputShape.Channels, height, width]);

            Assert.AreEqual(expected.numel(), onnx.LongLength, $"{name} at {height}x{width}: element counts differ.");
            var error = FoldVerifier.Compare(expected, tensor(onnx).reshape(expected.shape)).MaxAbsolute;
            Assert.IsLessThanOrEqualTo(Tolerance, error, $"{name} at {height}x{width}: max |TorchSharp − ONNX| = {error}.");
        }
    }

    [TestMethod]
    [DynamicData(nameof(CaseNames))]
    public void ShapeRuleEqualsTheShapeTorchSharpProduces(string name)
    {
        var graph = Graph(name);
        using var weights = new PlainWeights();
        foreach (var (height, width) in Sizes(graph))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            manual_seed(5);
            var values = new Dictionary<string, Tensor> { [PlainGraph.InputName] = randn(2, InputShape.Channels, height, width) };
            foreach (var node in graph.Nodes)
            {
                var inputs = node.Inputs.Select(value => values[value]).ToList();
                var output = node.Op.Evaluate(inputs, weights);
                var rule = node.Op.OutputShape([.. inputs.Select(ShapeOf)]);

                CollectionAssert.AreEqual(rule.WithBatch(2), output.shape, $"{node.Op.GetType().Name} in {name} at {height}x{width}: rule {rule}, TorchSharp [{string.Join(", ", output.shape)}].");
                Assert.AreEqual(float32, output.dtype, $"{node.Op.GetType().Name} must give a float value.");
                if ((height, width) == (InputShape.Height, InputShape.Width))
                {
                    Assert.AreEqual(graph.Shapes[node.Output], rule, $"{node.Op.GetType().Name} in {name}: the graph recorded another shape.");
                }

                values[node.Output] = output;
            }
        }
    }

    [TestMethod]
    public void EveryOperationHasACase()
    {
        var covered = Cases.Keys.SelectMany(name => Graph(name).Ops).Select(op => op.GetType()).ToHashSet();
        var missing = typeof(PlainOp).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(PlainOp)) && !type.IsAbstract && !covered.Contains(type))
            .Select(type => type.Name)
            .ToList();

        Assert.IsEmpty(missing, $"Operations without a case: {string.Join(", ", missing)}.");
    }

    [TestMethod]
    [DynamicData(nameof(RejectionNames))]
    public void ShapeRuleRejectsWhatCannotBeNamingTheOperation(string name)
    {
        var (op, build) = Rejections[name];
        var builder = new GraphBuilder(InputShape);

        var error = Assert.ThrowsExactly<ArgumentException>(() => build(builder, builder.Input));

        Assert.Contains(op, error.Message);
    }

    [TestMethod]
    public void FixedSizeOperationExportsWithAFixedSize()
    {
        var graph = Graph("SpectralResize");
        var model = ModelProto.Parser.ParseFrom(OnnxExporter.Export(graph, new OnnxExportOptions()));
        var dims = model.Graph.Input[0].Type.TensorType.Shape.Dim;

        Assert.IsTrue(graph.FixesSize);
        Assert.AreEqual(InputShape.Height, dims[2].DimValue);
        Assert.AreEqual(InputShape.Width, dims[3].DimValue);
    }

    [TestMethod]
    public void WalkerMapsStandardActivationPoolingAndShuffleModules()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var network = nn.Sequential(
            nn.Conv2d(4, 8, 3, padding: 1),
            nn.PReLU(8, init: 0.2),
            nn.Conv2d(8, 8, 1),
            nn.PReLU(1, init: -0.3),
            nn.LeakyReLU(0.05),
            nn.Hardtanh(-0.4, 0.6, inplace: true),
            nn.AvgPool2d(2),
            nn.PixelShuffle(2));
        foreach (var parameter in network.parameters())
        {
            using var noGrad = no_grad();
            parameter.add_(randn_like(parameter) * 0.1);
        }

        var graph = GraphFolder.Fold(network, InputShape);

        CollectionAssert.AreEqual(
            new[] { typeof(PlainConv), typeof(PlainPrelu), typeof(PlainConv), typeof(PlainPrelu), typeof(PlainLeakyRelu), typeof(PlainClip), typeof(PlainPool), typeof(PlainDepthToSpace) },
            graph.Ops.Select(op => op.GetType()).ToArray());
        Assert.AreEqual(new PlainShape(2, 8, 6), graph.Shapes[graph.Outputs[0]]);
        Assert.AreEqual(new PlainClip(-0.4f, 0.6f), graph.Ops.OfType<PlainClip>().Single());
        Assert.AreEqual(new PlainLeakyRelu(0.05f), graph.Ops.OfType<PlainLeakyRelu>().Single());
        Assert.AreEqual(new PlainPool(PlainPoolKind.Average, 2, 2), graph.Ops.OfType<PlainPool>().Single());
        Assert.AreEqual(new PlainDepthToSpace(2), graph.Ops.OfType<PlainDepthToSpace>().Single());

        using var folded = new PlainGraphModule(graph);
        using var runner = new OnnxModelRunner(OnnxExporter.Export(graph, new OnnxExportOptions()));
        foreach (var (height, width) in new[] { (InputShape.Height, InputShape.Width), OtherSize })
        {
            using var noGrad = no_grad();
            var input = randn(2, InputShape.Channels, height, width);
            var expected = network.forward(input).contiguous();
            var onnx = runner.Run(input.data<float>().ToArray(), [2, InputShape.Channels, height, width]);

            Assert.IsLessThanOrEqualTo(Tolerance, FoldVerifier.Compare(expected, folded.forward(input)).MaxAbsolute);
            Assert.IsLessThanOrEqualTo(Tolerance, FoldVerifier.Compare(expected, tensor(onnx).reshape(expected.shape)).MaxAbsolute);
        }
    }

    [TestMethod]
    public void WalkerRejectsAnOutOfPlaceHardtanhWhichTorchSharpDoesNotApply()
    {
        using var scope = NewDisposeScope();
        using var hardtanh = nn.Hardtanh(-0.4, 0.6);
        var input = randn(1, 4, 3, 3) * 4;

        // TorchSharp 0.107: the out-of-place hardtanh returns its input, unclamped.
        using (no_grad())
        {
            Assert.AreEqual(0, (hardtanh.forward(input) - input).abs().max().item<float>());
        }

        var error = Assert.ThrowsExactly<NotSupportedException>(() => GraphFolder.Fold(hardtanh, InputShape));
        Assert.Contains("inplace: true", error.Message);
    }

    [TestMethod]
    public void WalkerRejectsAveragePoolsItCannotFoldNamingTheValues()
    {
        using var rectangular = nn.AvgPool2d((2L, 3L));
        using var padded = nn.AvgPool2d(3, stride: 2, padding: 1);

        var shape = Assert.ThrowsExactly<NotSupportedException>(() => GraphFolder.Fold(rectangular, InputShape));
        var padding = Assert.ThrowsExactly<NotSupportedException>(() => GraphFolder.Fold(padded, InputShape));

        Assert.Contains("kernel 2x3", shape.Message);
        Assert.Contains("padding 1x1", padding.Message);
    }

    private static PlainGraph Graph(string name)
    {
        var builder = new GraphBuilder(InputShape);
        return builder.Build(Cases[name](builder, builder.Input, new Random(17)));
    }

    private static IEnumerable<(int Height, int Width)> Sizes(PlainGraph graph) =>
        graph.FixesSize ? [(InputShape.Height, InputShape.Width)] : [(InputShape.Height, InputShape.Width), OtherSize];

    private static PlainShape ShapeOf(Tensor value) => value.dim() == 2
        ? PlainShape.Vector((int)value.shape[1])
        : new PlainShape((int)value.shape[1], (int)value.shape[2], (int)value.shape[3]);

    private static PlainValue Conv1x1(GraphBuilder builder, PlainValue input, Random random, int outChannels) =>
        builder.Add(new PlainConv(Values(random, outChannels * input.Shape.Channels), Values(random, outChannels), outChannels, input.Shape.Channels, 1), input);

    private static float[] Values(Random random, int count, float min = -1f, float max = 1f) =>
        [.. Enumerable.Range(0, count).Select(_ => min + ((max - min) * random.NextSingle()))];
}
