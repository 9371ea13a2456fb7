namespace Microsoft.ML.Reparam.Plain;

/// <summary>A value being built into a graph: its name and its shape at the folded input size.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="Shape">Its shape without the batch dimension.</param>
internal readonly record struct PlainValue(string Name, PlainShape Shape);

/// <summary>Builds a <see cref="PlainGraph"/> node by node, checking each operation's input shapes as it goes.</summary>
internal sealed class GraphBuilder
{
    private readonly List<PlainNode> _nodes = [];
    private readonly Dictionary<string, PlainShape> _shapes = [];

    public GraphBuilder(PlainShape inputShape)
    {
        Input = new PlainValue(PlainGraph.InputName, inputShape);
        _shapes.Add(Input.Name, inputShape);
    }

    public PlainValue Input { get; }

    /// <summary>Adds <paramref name="op"/> applied to <paramref name="inputs"/> and returns its output.</summary>
    public PlainValue Add(PlainOp op, params PlainValue[] inputs)
    {
        if (op.Arity >= 0 && inputs.Length != op.Arity)
        {
            throw new ArgumentException($"{op.GetType().Name} takes {op.Arity} input(s); got {inputs.Length}.", nameof(inputs));
        }

        var shape = op.OutputShape([.. inputs.Select(i => i.Shape)]);
        var output = new PlainValue($"v{_nodes.Count + 1}", shape);
        _nodes.Add(new PlainNode(op, [.. inputs.Select(i => i.Name)], output.Name));
        _shapes.Add(output.Name, shape);
        return output;
    }

    /// <summary>Returns the graph whose outputs are <paramref name="outputs"/>.</summary>
    public PlainGraph Build(params PlainValue[] outputs) => new(Input.Shape, [.. _nodes], [.. outputs.Select(o => o.Name)], new Dictionary<string, PlainShape>(_shapes));
}
