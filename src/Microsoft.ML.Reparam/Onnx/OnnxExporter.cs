using Google.Protobuf;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Writes a <see cref="PlainGraph"/> as a standard-opset ONNX model (docs/onnx.md); each operation emits its own nodes.</summary>
public static class OnnxExporter
{
    /// <summary>The IR version that goes with opset 17.</summary>
    private const long IrVersion = 8;

    /// <summary>Serializes <paramref name="graph"/> to ONNX model bytes.</summary>
    /// <param name="graph">The plain graph.</param>
    /// <param name="options">Export options.</param>
    /// <returns>The serialized ModelProto.</returns>
    public static byte[] Export(PlainGraph graph, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var outputNames = Validate(graph, options);
        var fixedSize = options.FixedSize || graph.FixesSize;
        object batch = options.BatchSize is { } size ? size : "N";
        var onnx = new OnnxGraphBuilder();
        var input = graph.InputShape;
        onnx.Graph.Input.Add(FloatTensor(options.InputName, batch, input.Channels, fixedSize ? input.Height : "H", fixedSize ? input.Width : "W"));

        var names = new Dictionary<string, string> { [PlainGraph.InputName] = options.InputName };
        foreach (var node in graph.Nodes)
        {
            names[node.Output] = node.Op.Emit(onnx, [.. node.Inputs.Select(value => names[value])]);
        }

        for (var i = 0; i < graph.Outputs.Count; i++)
        {
            var shape = graph.Shapes[graph.Outputs[i]];
            onnx.NodeWithOutput("Identity", [names[graph.Outputs[i]]], outputNames[i]);
            onnx.Graph.Output.Add(shape.IsVector
                ? FloatTensor(outputNames[i], batch, shape.Channels)
                : FloatTensor(outputNames[i], batch, shape.Channels, fixedSize ? shape.Height : $"{outputNames[i]}_H", fixedSize ? shape.Width : $"{outputNames[i]}_W"));
        }

        foreach (var lookup in options.ClassNameOutputs)
        {
            var shape = graph.Shapes[graph.Outputs[lookup.GraphOutput]];
            var indices = onnx.Node("Cast", [names[graph.Outputs[lookup.GraphOutput]]], Int("to", (long)TensorProto.Types.DataType.Int64));
            var classNames = onnx.Node("Gather", [onnx.StringConstant("class_names", lookup.ClassNames), indices], Int("axis", 0));
            onnx.NodeWithOutput("Reshape", [classNames, onnx.Int64Constant("mask_shape", shape.Height, shape.Width)], lookup.Name);
            onnx.Graph.Output.Add(StringTensor(lookup.Name, shape.Height, shape.Width));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Microsoft.ML.Reparam",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = onnx.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = options.OpsetVersion });
        return model.ToByteArray();
    }

    /// <summary>Exports <paramref name="graph"/> to the file <paramref name="path"/>.</summary>
    /// <param name="graph">The plain graph.</param>
    /// <param name="options">Export options.</param>
    /// <param name="path">The .onnx file to write.</param>
    public static void Save(PlainGraph graph, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, Export(graph, options));
    }

    private static IReadOnlyList<string> Validate(PlainGraph graph, OnnxExportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputName, nameof(options.InputName));
        if (options.BatchSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"{nameof(options.BatchSize)} must be at least 1, or null for a symbolic batch.");
        }

        if (options.OpsetVersion < 15)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.OpsetVersion, $"{nameof(options.OpsetVersion)} must be 15 or later.");
        }

        var names = options.OutputNames ?? graph.Outputs;
        if (names.Count != graph.Outputs.Count)
        {
            throw new ArgumentException($"{nameof(options.OutputNames)} has {names.Count} names but the graph has {graph.Outputs.Count} outputs.", nameof(options));
        }

        if (options.ClassNameOutputs.Count > 0 && !(options.FixedSize && options.BatchSize == 1))
        {
            throw new ArgumentException("Class-name outputs need a fixed size and a batch of 1.", nameof(options));
        }

        if (names.Append(options.InputName).Any(string.IsNullOrWhiteSpace) || names.Append(options.InputName).Distinct().Count() != names.Count + 1)
        {
            throw new ArgumentException($"The input and output names must be non-empty and distinct: {options.InputName}; {string.Join(", ", names)}.", nameof(options));
        }

        return names;
    }
}
