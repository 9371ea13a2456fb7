using Google.Protobuf;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Writes a <see cref="PlainNetwork"/> as a standard-opset ONNX model (docs/onnx.md).</summary>
public static class OnnxExporter
{
    /// <summary>The IR version that goes with opset 17.</summary>
    private const long IrVersion = 8;

    /// <summary>Serializes <paramref name="network"/> to ONNX model bytes.</summary>
    /// <param name="network">The plain network.</param>
    /// <param name="options">Export options.</param>
    /// <returns>The serialized ModelProto.</returns>
    public static byte[] Export(PlainNetwork network, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        Validate(network, options);
        var graph = new OnnxGraphBuilder();
        long? batch = options.BatchSize;
        graph.Graph.Input.Add(FloatTensor(options.InputName, batch, network.Channels, network.Height, network.Width));

        var value = options.InputName;
        if (options.InputMean is { } mean)
        {
            value = graph.Node("Sub", [value, graph.Constant("mean", mean, 1, network.Channels, 1, 1)]);
        }

        if (options.InputStd is { } std)
        {
            value = graph.Node("Div", [value, graph.Constant("std", std, 1, network.Channels, 1, 1)]);
        }

        foreach (var layer in network.Layers)
        {
            value = OnnxLayerEmitter.Emit(graph, layer, value);
        }

        var outputs = OutputFeatures(network);
        graph.NodeWithOutput(options.AppendSoftmax ? "Softmax" : "Identity", [value], options.OutputName, options.AppendSoftmax ? [Int("axis", -1)] : []);
        graph.Graph.Output.Add(FloatTensor(options.OutputName, batch, outputs));
        if (options.LogitsOutputName is { } logits)
        {
            graph.NodeWithOutput("Identity", [value], logits);
            graph.Graph.Output.Add(FloatTensor(logits, batch, outputs));
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Microsoft.ML.Reparam",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = options.OpsetVersion });
        return model.ToByteArray();
    }

    /// <summary>Exports <paramref name="network"/> to the file <paramref name="path"/>.</summary>
    /// <param name="network">The plain network.</param>
    /// <param name="options">Export options.</param>
    /// <param name="path">The .onnx file to write.</param>
    public static void Save(PlainNetwork network, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, Export(network, options));
    }

    private static long OutputFeatures(PlainNetwork network) =>
        network.Layers.OfType<PlainLinear>().LastOrDefault()?.OutFeatures
        ?? throw new NotSupportedException("Only networks that end in a linear classifier head can be exported yet.");

    private static void Validate(PlainNetwork network, OnnxExportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.InputName, nameof(options.InputName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputName, nameof(options.OutputName));
        if (options.BatchSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"{nameof(options.BatchSize)} must be at least 1, or null for a symbolic batch.");
        }

        if (options.OpsetVersion < 13)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.OpsetVersion, $"{nameof(options.OpsetVersion)} must be 13 or later.");
        }

        if (options.LogitsOutputName is { } logits && (logits == options.OutputName || logits == options.InputName))
        {
            throw new ArgumentException($"{nameof(options.LogitsOutputName)} '{logits}' must differ from the input and output names.", nameof(options));
        }

        CheckPerChannel(options.InputMean, network.Channels, nameof(options.InputMean));
        CheckPerChannel(options.InputStd, network.Channels, nameof(options.InputStd));
        if (options.InputStd?.Any(s => !(s > 0) || !float.IsFinite(s)) == true)
        {
            throw new ArgumentException($"{nameof(options.InputStd)} values must be positive and finite: [{string.Join(", ", options.InputStd)}].", nameof(options));
        }

        if (options.InputMean?.Any(m => !float.IsFinite(m)) == true)
        {
            throw new ArgumentException($"{nameof(options.InputMean)} values must be finite: [{string.Join(", ", options.InputMean)}].", nameof(options));
        }
    }

    private static void CheckPerChannel(float[]? values, int channels, string name)
    {
        if (values is not null && values.Length != channels)
        {
            throw new ArgumentException($"{name} has {values.Length} values but the network takes {channels} channel(s).", name);
        }
    }
}
