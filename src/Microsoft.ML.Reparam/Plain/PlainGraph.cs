namespace Microsoft.ML.Reparam.Plain;

/// <summary>One node of a <see cref="PlainGraph"/>: an operation applied to named values, giving one named value.</summary>
/// <param name="Op">The operation.</param>
/// <param name="Inputs">The names of its input values.</param>
/// <param name="Output">The name of its output value.</param>
public sealed record PlainNode(PlainOp Op, IReadOnlyList<string> Inputs, string Output);

/// <summary>
/// A deployed plain CNN: a directed acyclic graph of <see cref="PlainOp"/>s over named values, from one image input
/// (pixels scaled to [0, 1], [N, C, H, W]) to named outputs. Folding produces it, <see cref="PlainGraphModule"/> runs
/// it in TorchSharp and the ONNX exporter writes it. A chain is the special case where every node reads the previous one.
/// </summary>
public sealed class PlainGraph
{
    internal PlainGraph(PlainShape inputShape, IReadOnlyList<PlainNode> nodes, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, PlainShape> shapes)
    {
        InputShape = inputShape;
        Nodes = nodes;
        Outputs = outputs;
        Shapes = shapes;
    }

    /// <summary>The name of the graph's input value.</summary>
    public const string InputName = "input";

    /// <summary>Gets the input shape the graph was folded for; fully convolutional graphs also run at other sizes.</summary>
    public PlainShape InputShape { get; }

    /// <summary>Gets the nodes in an order where every input is computed before it is read.</summary>
    public IReadOnlyList<PlainNode> Nodes { get; }

    /// <summary>Gets the names of the output values.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Gets the shape of every value at <see cref="InputShape"/>.</summary>
    public IReadOnlyDictionary<string, PlainShape> Shapes { get; }

    /// <summary>Gets a value indicating whether some operation ties the graph to <see cref="InputShape"/>.</summary>
    public bool FixesSize => Nodes.Any(node => node.Op.FixesSize);

    /// <summary>Gets the number of stored values (an operation used at two places, as a spectral layer shared by a residual block's two paths, counts once).</summary>
    public long ParameterCount => Nodes.Select(node => node.Op).Distinct(ReferenceEqualityComparer.Instance).Sum(op => ((PlainOp)op!).ParameterCount);

    /// <summary>Returns the operation that computes <paramref name="value"/>.</summary>
    internal PlainOp Producer(string value) => Nodes.Single(node => node.Output == value).Op;

    /// <summary>Gets the operations in order.</summary>
    public IEnumerable<PlainOp> Ops => Nodes.Select(node => node.Op);

    /// <summary>
    /// Gets the receptive radius in input pixels: how far from an output pixel's position an input pixel can still
    /// change it (the longest chain of <see cref="PlainOp.Reach"/>; reaches after an upsampling count as input pixels,
    /// which over-estimates), or null when some operation is not local.
    /// </summary>
    internal int? ReceptiveRadius
    {
        get
        {
            var radius = new Dictionary<string, int> { [InputName] = 0 };
            foreach (var node in Nodes)
            {
                if (node.Op.Reach is not { } reach)
                {
                    return null;
                }

                radius[node.Output] = node.Inputs.Max(input => radius[input]) + reach;
            }

            return Outputs.Max(output => radius[output]);
        }
    }

    /// <summary>Rebuilds the graph for inputs of <paramref name="height"/>×<paramref name="width"/>, checking every shape again; <paramref name="extend"/> may add nodes and choose the outputs.</summary>
    internal PlainGraph AtSize(int height, int width, Func<GraphBuilder, PlainValue[], PlainValue[]>? extend = null)
    {
        var builder = new GraphBuilder(InputShape with { Height = height, Width = width });
        var values = new Dictionary<string, PlainValue> { [InputName] = builder.Input };
        foreach (var node in Nodes)
        {
            values[node.Output] = builder.Add(node.Op, [.. node.Inputs.Select(input => values[input])]);
        }

        PlainValue[] outputs = [.. Outputs.Select(output => values[output])];
        return builder.Build(extend?.Invoke(builder, outputs) ?? outputs);
    }
}
