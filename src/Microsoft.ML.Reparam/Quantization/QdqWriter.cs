using Google.Protobuf;
using Microsoft.ML.Reparam.Onnx.Proto;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using DataType = Microsoft.ML.Reparam.Onnx.Proto.TensorProto.Types.DataType;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// Rewrites a float ONNX model as a QDQ model (docs/quantization.md, "The QDQ graph"): every planned activation passes
/// through QuantizeLinear → DequantizeLinear (unsigned 8-bit, asymmetric, per tensor), and the weights of the
/// convolutions and fully connected layers that read a quantized activation are stored as signed 8-bit integers per
/// output channel (symmetric) with their biases as 32-bit integers on the scale input scale × weight scale, each
/// read through DequantizeLinear. The float graph's operations are left as they are: ONNX Runtime fuses each
/// DequantizeLinear → operation → QuantizeLinear group into its integer kernel.
/// </summary>
internal sealed class QdqWriter
{
    private readonly GraphProto _graph;
    private readonly IReadOnlyDictionary<string, (float Scale, byte ZeroPoint)> _activations;
    private readonly int _weightMax;
    private readonly List<NodeProto> _weightNodes = [];
    private readonly Dictionary<string, (string Value, float[] Scales)> _weights = [];
    private readonly Dictionary<(string Bias, string Weight, float InputScale), string> _biases = [];

    /// <summary>The largest bias code: 2³⁰ leaves the 32-bit accumulator room for the products it adds to it.</summary>
    private const double BiasLimit = 1 << 30;

    private QdqWriter(GraphProto graph, IReadOnlyDictionary<string, (float Low, float High)> ranges, bool reduceRange)
    {
        _graph = graph;
        _activations = ranges.ToDictionary(pair => pair.Key, pair => ActivationScale(pair.Value.Low, pair.Value.High));
        _weightMax = reduceRange ? 63 : 127;
    }

    /// <summary>Returns the QDQ model of <paramref name="floatModel"/> with the activations of <paramref name="ranges"/> quantized to those ranges.</summary>
    public static byte[] Write(byte[] floatModel, IReadOnlyDictionary<string, (float Low, float High)> ranges, bool reduceRange)
    {
        var model = ModelProto.Parser.ParseFrom(floatModel);
        new QdqWriter(model.Graph, ranges, reduceRange).Rewrite();
        model.ProducerName = "Microsoft.ML.Reparam (INT8 QDQ)";
        return model.ToByteArray();
    }

    /// <summary>Scale and zero point of an unsigned 8-bit activation covering [low, high] (which holds zero).</summary>
    internal static (float Scale, byte ZeroPoint) ActivationScale(float low, float high)
    {
        var scale = (high - low) / 255f;
        if (!(scale > 0) || !float.IsFinite(scale))
        {
            return (1f, 0);
        }

        return (scale, (byte)Math.Clamp(MathF.Round(-low / scale), 0, 255));
    }

    private void Rewrite()
    {
        var initializers = _graph.Initializer.Select(t => t.Name).ToHashSet();
        foreach (var node in _graph.Node.Where(n => n.OpType is "Conv" or "Gemm" && QdqPlan.IsWeightedByConstants(n, initializers) && _activations.ContainsKey(n.Input[0])))
        {
            QuantizeWeights(node);
        }

        var nodes = new List<NodeProto>(_weightNodes);
        var input = _graph.Input[0].Name;
        if (_activations.TryGetValue(input, out var inputScale))
        {
            var dequantized = input + "_dequantized";
            nodes.AddRange(QuantizeDequantize(input, dequantized, inputScale));
            foreach (var reader in _graph.Node)
            {
                for (var i = 0; i < reader.Input.Count; i++)
                {
                    reader.Input[i] = reader.Input[i] == input ? dequantized : reader.Input[i];
                }
            }
        }

        foreach (var node in _graph.Node)
        {
            nodes.Add(node);
            for (var o = 0; o < node.Output.Count; o++)
            {
                var value = node.Output[o];
                if (_activations.TryGetValue(value, out var scale))
                {
                    node.Output[o] = value + "_float";
                    nodes.AddRange(QuantizeDequantize(node.Output[o], value, scale));
                }
            }
        }

        _graph.Node.Clear();
        _graph.Node.AddRange(nodes);
        RemoveUnread();
    }

    /// <summary>QuantizeLinear of <paramref name="value"/> and DequantizeLinear back, into <paramref name="output"/>.</summary>
    private IEnumerable<NodeProto> QuantizeDequantize(string value, string output, (float Scale, byte ZeroPoint) quantization)
    {
        var scale = Initializer(value + "_scale", DataType.Float, BitConverter.GetBytes(quantization.Scale));
        var zeroPoint = Initializer(value + "_zero_point", DataType.Uint8, [quantization.ZeroPoint]);
        yield return NewNode("QuantizeLinear", [value, scale, zeroPoint], value + "_quantized");
        yield return NewNode("DequantizeLinear", [value + "_quantized", scale, zeroPoint], output);
    }

    private void QuantizeWeights(NodeProto node)
    {
        var inputScale = _activations[node.Input[0]].Scale;
        var (weightName, biasName) = (node.Input[1], node.Input.Count > 2 ? node.Input[2] : null);
        if (!_weights.TryGetValue(weightName, out var weight))
        {
            weight = QuantizeWeight(weightName, biasName is null ? null : BiasScaleFloor(biasName, inputScale));
            _weights[weightName] = weight;
        }

        node.Input[1] = weight.Value;
        if (biasName is not null)
        {
            var key = (biasName, weightName, inputScale);
            if (!_biases.TryGetValue(key, out var bias))
            {
                bias = QuantizeBias(biasName, inputScale, weight.Scales);
                _biases[key] = bias;
            }

            node.Input[2] = bias;
        }
    }

    /// <summary>
    /// The smallest weight scale per channel at which the bias still fits its 32-bit code (|b| / (input scale × weight
    /// scale) ≤ 2³⁰): a channel whose weights are tiny but whose bias is not (a batch norm with γ near zero) gets a
    /// coarser weight scale rather than a clamped bias.
    /// </summary>
    private float[] BiasScaleFloor(string bias, float inputScale) =>
        [.. Floats(_graph.Initializer.Single(t => t.Name == bias)).Select(b => (float)(Math.Abs(b) / (inputScale * BiasLimit)))];

    /// <summary>Signed 8-bit per output channel (axis 0), symmetric: scale = max |w| / 127 (63 with a reduced range), at least <paramref name="floor"/>.</summary>
    private (string Value, float[] Scales) QuantizeWeight(string name, float[]? floor)
    {
        var tensor = _graph.Initializer.Single(t => t.Name == name);
        var values = Floats(tensor);
        var channels = (int)tensor.Dims[0];
        var perChannel = values.Length / channels;
        var scales = new float[channels];
        var quantized = new byte[values.Length];
        for (var c = 0; c < channels; c++)
        {
            var span = values.AsSpan(c * perChannel, perChannel);
            var max = 0f;
            foreach (var v in span)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            scales[c] = Math.Max(max / _weightMax, floor?[c] ?? 0);
            scales[c] = scales[c] > 0 ? scales[c] : 1f;
            for (var i = 0; i < perChannel; i++)
            {
                quantized[(c * perChannel) + i] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(span[i] / scales[c]), -_weightMax - 1, _weightMax));
            }
        }

        var integers = Initializer(name + "_int8", DataType.Int8, quantized, tensor.Dims);
        var output = DequantizePerChannel(name, integers, scales, DataType.Int8, sizeof(sbyte));
        return (output, scales);
    }

    /// <summary>Signed 32-bit per output channel on the scale input scale × weight scale, zero point 0 (what the integer kernels accumulate in).</summary>
    private string QuantizeBias(string name, float inputScale, float[] weightScales)
    {
        var values = Floats(_graph.Initializer.Single(t => t.Name == name));
        var scales = weightScales.Select(s => inputScale * s).ToArray();
        var integers = new byte[values.Length * sizeof(int)];
        for (var c = 0; c < values.Length; c++)
        {
            var q = Math.Round((double)values[c] / scales[c]);
            if (!(Math.Abs(q) <= int.MaxValue))
            {
                throw new InvalidOperationException($"Bias '{name}' channel {c} ({values[c]}) does not fit a 32-bit code on the scale {scales[c]:E3}; the layer cannot be quantized.");
            }

            BitConverter.TryWriteBytes(integers.AsSpan(c * sizeof(int)), (int)q);
        }

        var stored = Initializer($"{name}_int32_{_biases.Count}", DataType.Int32, integers, values.Length);
        return DequantizePerChannel(stored, stored, scales, DataType.Int32, sizeof(int));
    }

    private string DequantizePerChannel(string hint, string integers, float[] scales, DataType type, int size)
    {
        var scaleBytes = new byte[scales.Length * sizeof(float)];
        Buffer.BlockCopy(scales, 0, scaleBytes, 0, scaleBytes.Length);
        var scale = Initializer(hint + "_scale", DataType.Float, scaleBytes, scales.Length);
        var zeroPoint = Initializer(hint + "_zero_point", type, new byte[scales.Length * size], scales.Length);
        var node = NewNode("DequantizeLinear", [integers, scale, zeroPoint], hint + "_dequantized");
        node.Attribute.Add(Int("axis", 0));
        _weightNodes.Add(node);
        return node.Output[0];
    }

    private string Initializer(string name, DataType type, byte[] rawData, params IEnumerable<long> dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(rawData) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private static NodeProto NewNode(string opType, IEnumerable<string> inputs, string output)
    {
        var node = new NodeProto { OpType = opType, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static float[] Floats(TensorProto tensor)
    {
        if (tensor.DataType != (int)DataType.Float)
        {
            throw new InvalidOperationException($"Initializer '{tensor.Name}' is not float; it cannot be quantized.");
        }

        if (tensor.FloatData.Count > 0)
        {
            return [.. tensor.FloatData];
        }

        var values = new float[tensor.RawData.Length / sizeof(float)];
        Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, values.Length * sizeof(float));
        return values;
    }

    /// <summary>Drops the float weights the integer ones replaced (an initializer no node reads).</summary>
    private void RemoveUnread()
    {
        var read = _graph.Node.SelectMany(n => n.Input).ToHashSet();
        var unread = _graph.Initializer.Where(t => !read.Contains(t.Name)).ToList();
        foreach (var tensor in unread)
        {
            _graph.Initializer.Remove(tensor);
        }
    }
}
