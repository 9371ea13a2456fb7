using Google.Protobuf;
using Microsoft.ML.Reparam.Onnx.Proto;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Accumulates nodes and initializers of one ONNX graph, naming every value uniquely.</summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph = new() { Name = "reparam_plain_cnn" };
    private readonly Dictionary<float[], string> _constants = new(ReferenceEqualityComparer.Instance);
    private int _counter;

    public GraphProto Graph => _graph;

    /// <summary>Adds a float constant and returns its name; an array added before (a shared operation's weights) is not written again.</summary>
    public string Constant(string hint, float[] values, params long[] dims)
    {
        if (_constants.TryGetValue(values, out var existing))
        {
            return existing;
        }

        var tensor = new TensorProto { Name = Unique(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported.");
        }

        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        _constants.Add(values, tensor.Name);
        return tensor.Name;
    }

    /// <summary>Adds an int64 vector constant and returns its name.</summary>
    public string Int64Constant(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = Unique(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a string vector constant and returns its name.</summary>
    public string StringConstant(string hint, IReadOnlyList<string> values)
    {
        var tensor = new TensorProto { Name = Unique(hint), DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.Add(values.Count);
        tensor.StringData.AddRange(values.Select(ByteString.CopyFromUtf8));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeWithOutput(opType, inputs, Unique(opType.ToLowerInvariant()), attributes);

    /// <summary>Adds a node whose output has the given name.</summary>
    public string NodeWithOutput(string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(opType + "_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Declares a float tensor input or output; each dimension is a size, or the name of a symbolic one.</summary>
    public static ValueInfoProto FloatTensor(string name, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>Declares a string tensor output of fixed dimensions.</summary>
    public static ValueInfoProto StringTensor(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.String, Shape = shape } },
        };
    }

    private string Unique(string hint) => $"{hint}_{_counter++}";
}
