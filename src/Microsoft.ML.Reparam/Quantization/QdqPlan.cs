using Microsoft.ML.Reparam.Onnx.Proto;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// Which activations of a float ONNX graph get a QuantizeLinear/DequantizeLinear pair, chosen so that ONNX Runtime can
/// fuse each convolution, fully connected layer, addition and pooling into an integer kernel (docs/quantization.md):
/// the activation inputs of those operations, and their outputs — for a convolution, addition or pooling followed only
/// by a ReLU, the ReLU's output (the runtime then drops the ReLU into the quantization's clamp). A fully connected
/// layer's output stays float unless another quantized operation reads it: a classifier's logits keep full precision.
/// A max pooling's output gets its input's range (<see cref="Int8Quantizer.Calibrate"/>), so it runs on 8 bits.
/// </summary>
internal static class QdqPlan
{
    /// <summary>Returns the names of the activations to quantize, in graph order.</summary>
    public static IReadOnlyList<string> Activations(GraphProto graph)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var consumers = graph.Node.SelectMany(node => node.Input.Select(input => (input, node))).ToLookup(pair => pair.input, pair => pair.node);
        var outputs = graph.Output.Select(o => o.Name).ToHashSet();
        var chosen = new HashSet<string>();
        foreach (var node in graph.Node)
        {
            var activations = node.OpType switch
            {
                "Conv" or "Gemm" when IsWeightedByConstants(node, initializers) => [node.Input[0]],
                "Add" when !node.Input.Any(initializers.Contains) => node.Input,
                "GlobalAveragePool" or "AveragePool" or "MaxPool" => [node.Input[0]],
                _ => (IList<string>)[],
            };
            if (activations.Count == 0)
            {
                continue;
            }

            chosen.UnionWith(activations);
            if (node.OpType != "Gemm")
            {
                chosen.Add(EffectiveOutput(node.Output[0], consumers, outputs));
            }
        }

        var order = graph.Input.Select(i => i.Name).Concat(graph.Node.SelectMany(n => n.Output));
        return [.. order.Where(chosen.Contains)];
    }

    /// <summary>Returns whether the node's weight (and bias, when present) are initializers: only those are quantized ahead of time.</summary>
    internal static bool IsWeightedByConstants(NodeProto node, HashSet<string> initializers) =>
        node.Input.Count >= 2 && node.Input.Skip(1).All(initializers.Contains)
        && (node.OpType != "Gemm" || (node.Attribute.Any(a => a.Name == "transB" && a.I == 1) && !node.Attribute.Any(a => a.Name == "transA" && a.I == 1)));

    private static string EffectiveOutput(string output, ILookup<string, NodeProto> consumers, HashSet<string> graphOutputs)
    {
        var readers = consumers[output].ToList();
        return readers is [{ OpType: "Relu" } relu] && !graphOutputs.Contains(output) ? relu.Output[0] : output;
    }
}
