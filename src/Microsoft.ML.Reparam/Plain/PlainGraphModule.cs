using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Runs a <see cref="PlainGraph"/> in TorchSharp (fold checks, latency baselines); the forward pass returns the first output.</summary>
internal sealed class PlainGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly PlainGraph _graph;
    private readonly PlainWeights _weights = new();

    /// <summary>Initializes a new instance of the <see cref="PlainGraphModule"/> class.</summary>
    /// <param name="graph">The graph.</param>
    public PlainGraphModule(PlainGraph graph)
        : base(nameof(PlainGraphModule))
    {
        ArgumentNullException.ThrowIfNull(graph);
        _graph = graph;
        RegisterComponents();
        eval();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var outputs = Run(input);
        foreach (var extra in outputs.Skip(1))
        {
            extra.Dispose();
        }

        return outputs[0];
    }

    /// <summary>Evaluates every output of the graph on <paramref name="input"/> ([N, C, H, W], pixels in [0, 1]).</summary>
    /// <param name="input">The input batch.</param>
    /// <returns>The outputs, in the order of <see cref="PlainGraph.Outputs"/>; the caller owns them.</returns>
    public Tensor[] Run(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var values = new Dictionary<string, Tensor> { [PlainGraph.InputName] = input };
        foreach (var node in _graph.Nodes)
        {
            values[node.Output] = node.Op.Evaluate([.. node.Inputs.Select(name => values[name])], _weights);
        }

        return [.. _graph.Outputs.Select(name => values[name].MoveToOuterDisposeScope())];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _weights.Dispose();
        }

        base.Dispose(disposing);
    }
}
