using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Quantization;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Quantization;

/// <summary>The INT8 quantizer on a small residual plain graph with random weights: QDQ structure, integer kernels, weight codes, error.</summary>
[TestClass]
public sealed class QdqQuantizerTests
{
    private static readonly PlainShape InputShape = new(2, 8, 8);

    [TestMethod]
    public void EveryConvolutionAdditionPoolAndLinearLayerRunsAsAnIntegerKernelInTheStandardOpset()
    {
        var (_, int8) = Quantized(new QuantizationOptions());
        var model = ModelProto.Parser.ParseFrom(int8);

        Assert.IsTrue(model.Graph.Node.All(n => string.IsNullOrEmpty(n.Domain)), "standard opset only, no custom operators");
        Assert.AreEqual(6, model.Graph.Node.Count(n => n.OpType == "QuantizeLinear")); // the input, ReLU 1, conv 2, ReLU 2 (after the sum), the pool, the flattened vector
        var operators = IntegerKernels.Count(int8);
        Assert.AreEqual(2, operators.Integer["QLinearConv"], operators.ToString());
        Assert.AreEqual(1, operators.Integer["QLinearAdd"], operators.ToString());
        Assert.AreEqual(1, operators.Integer["QLinearGlobalAveragePool"], operators.ToString());
        Assert.AreEqual(1, operators.Integer["QGemm"], operators.ToString());
        Assert.IsFalse(operators.Float.ContainsKey("Conv") || operators.Float.ContainsKey("Gemm") || operators.Float.ContainsKey("Relu"), operators.ToString());
    }

    [TestMethod]
    public void IntegerKernelsComputeTheQdqGraphAndStayCloseToTheFloatNetwork()
    {
        var (graph, int8) = Quantized(new QuantizationOptions());
        using var scope = NewDisposeScope();
        var images = Images(seed: 9, count: 16);
        using var floatNetwork = new PlainGraphModule(graph);
        using var kernels = new OnnxModule(int8);
        using var reference = new OnnxModule(int8, optimize: false);

        var expected = floatNetwork.forward(images);
        var actual = kernels.forward(images);
        var kernelError = (actual - reference.forward(images)).abs().max().item<float>();
        var quantizationError = (actual - expected).abs().max().item<float>() / expected.abs().max().item<float>();

        // 7-bit weights: the integer kernels compute what the QDQ graph specifies, up to requantizations rounded the other
        // way at a tie (a few activation steps); saturated 8-bit products (full-range weights without VNNI) are off by 0.3 and more.
        Assert.IsLessThan(0.05f, kernelError);
        Assert.IsLessThan(0.05f, quantizationError);
        Assert.IsGreaterThan(1e-4f, quantizationError, "the model really is quantized");
    }

    [TestMethod]
    public void WeightsAreSymmetricPerOutputChannelCodesWithTheLargestAtTheRangeEnd()
    {
        foreach (var (reduceRange, max) in new[] { (true, 63), (false, 127) })
        {
            var (graph, int8) = Quantized(new QuantizationOptions { ReduceRange = reduceRange });
            var model = ModelProto.Parser.ParseFrom(int8);
            var first = graph.Ops.OfType<PlainConv>().First();
            var codes = model.Graph.Initializer.First(t => t.DataType == (int)TensorProto.Types.DataType.Int8 && t.Dims.Count == 4).RawData.Select(b => (int)(sbyte)b).ToArray();
            var perChannel = first.Weight.Length / first.OutChannels;
            for (var c = 0; c < first.OutChannels; c++)
            {
                var weights = first.Weight.AsSpan(c * perChannel, perChannel).ToArray();
                var scale = weights.Max(Math.Abs) / max;
                var channelCodes = codes.AsSpan(c * perChannel, perChannel).ToArray();
                Assert.AreEqual(max, channelCodes.Max(Math.Abs), $"channel {c}");
                for (var i = 0; i < perChannel; i++)
                {
                    Assert.AreEqual(weights[i], channelCodes[i] * scale, (scale / 2) + 1e-7, $"channel {c}, weight {i}");
                }
            }
        }
    }

    [TestMethod]
    public void RangesCarryToTheScoringExportWhoseOwnHeadStaysFloat()
    {
        var (graph, _) = Quantized(new QuantizationOptions());
        var portable = OnnxExporter.Export(graph, new OnnxExportOptions());
        var scoringGraph = graph.AtSize(8, 8, (builder, outputs) => [.. outputs, builder.Add(new PlainSoftmax(), outputs[0])]);
        var scoring = OnnxExporter.Export(scoringGraph, new OnnxExportOptions { InputName = "Pixels", BatchSize = 1, FixedSize = true });
        using var scope = NewDisposeScope();
        var ranges = Int8Quantizer.Calibrate(portable, [(Images(seed: 3, count: 16).data<float>().ToArray(), [16, 2, 8, 8])], new QuantizationOptions());

        var carried = Int8Quantizer.Transfer(ranges, portable, scoring);
        var scoringInt8 = QdqWriter.Write(scoring, carried, reduceRange: true);

        Assert.HasCount(ranges.Count, carried);
        Assert.IsTrue(carried.ContainsKey("Pixels"));
        CollectionAssert.AreEquivalent(ranges.Values.ToList(), carried.Values.ToList());
        var image = Images(seed: 4, count: 1);
        using var fromPortable = new OnnxModule(QdqWriter.Write(portable, ranges, reduceRange: true));
        using var fromScoring = new OnnxModule(scoringInt8);
        Assert.IsLessThan(1e-6f, (fromPortable.forward(image) - fromScoring.forward(image)).abs().max().item<float>());
        Assert.AreEqual(6, ModelProto.Parser.ParseFrom(scoringInt8).Graph.Node.Count(n => n.OpType == "QuantizeLinear"), "the same activations as the portable model");
    }

    [TestMethod]
    public void ActivationRangesHoldZeroAndThePercentileCutsTheTails()
    {
        var statistics = new ActivationStatistics();
        var values = Enumerable.Range(1, 10_000).Select(v => (float)v).ToArray();
        statistics.AddRange(values, "a");
        statistics.AddHistogram(values);

        Assert.AreEqual((0f, 10_000f), statistics.Range(CalibrationMethod.MinMax, 99.99));
        var (low, high) = statistics.Range(CalibrationMethod.Percentile, 99);
        Assert.AreEqual(0f, low);
        Assert.AreEqual(9_900f, high, 10_000f / 2048 * 1.01); // within one histogram bin
        Assert.AreEqual((4f / 255, (byte)64), QdqWriter.ActivationScale(-1, 3));
        Assert.AreEqual((1f, (byte)0), QdqWriter.ActivationScale(0, 0));
    }

    [TestMethod]
    public void AnOverflowingActivationIsNamed()
    {
        var statistics = new ActivationStatistics();
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => statistics.AddRange([1f, float.PositiveInfinity], "relu_3"));
        StringAssert.Contains(error.Message, "activation 'relu_3'");
    }

    /// <summary>conv → ReLU → conv, added to the first ReLU, ReLU → global pool → linear; exported, calibrated on random images, quantized.</summary>
    private static (PlainGraph Graph, byte[] Int8) Quantized(QuantizationOptions options)
    {
        var random = new Random(5);
        float[] Values(int count, double scale) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() - 0.5) * scale))];
        var builder = new GraphBuilder(InputShape);
        var first = builder.Add(new PlainRelu(), builder.Add(new PlainConv(Values(4 * 2 * 9, 1), Values(4, 0.2), 4, 2, 3, Padding: 1), builder.Input));
        var second = builder.Add(new PlainConv(Values(4 * 4 * 9, 0.5), Values(4, 0.2), 4, 4, 3, Padding: 1), first);
        var sum = builder.Add(new PlainRelu(), builder.Add(new PlainAdd(), first, second));
        var logits = builder.Add(new PlainLinear(Values(3 * 4, 1), Values(3, 0.1), 3, 4), builder.Add(new PlainGlobalAveragePool(), sum));
        var graph = builder.Build(logits);

        var onnx = OnnxExporter.Export(graph, new OnnxExportOptions());
        using var scope = NewDisposeScope();
        var calibration = Images(seed: 3, count: 64);
        var batches = Enumerable.Range(0, 4).Select(b => (calibration[(b * 16)..((b + 1) * 16)].contiguous().data<float>().ToArray(), new long[] { 16, 2, 8, 8 }));
        return (graph, Int8Quantizer.Quantize(onnx, batches.ToList(), options));
    }

    private static Tensor Images(int seed, int count)
    {
        using var generator = new Generator((ulong)seed);
        return rand([count, InputShape.Channels, InputShape.Height, InputShape.Width], generator: generator);
    }
}
