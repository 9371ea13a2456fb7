using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// D. Channel attention (docs/nkr.md, eq. D): average- and max-pooled K×K positions of each filter, z_avg, z_max ∈ ℝ^I,
/// through one shared FC₁ → ReLU → FC₂, summed: g = 2·σ(FC₂(ReLU(FC₁(z_avg))) + FC₂(ReLU(FC₁(z_max)))),
/// W'[o,i] = g[o,i]·W[o,i]. FC₂ starts at zero, so g = 1.
/// </summary>
public sealed class ChannelAttentionGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly Linear _output;

    /// <summary>Initializes a new instance of the <see cref="ChannelAttentionGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public ChannelAttentionGenerator(ConvGeometry geometry)
        : base(nameof(ChannelAttentionGenerator))
    {
        var channels = geometry.InChannelsPerGroup;
        var hidden = GeneratorLayers.Hidden(channels, 4);
        _hidden = nn.Linear(channels, hidden);
        _output = GeneratorLayers.ZeroLinear(hidden, channels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var average = kernel.mean([2L, 3L]);
        var maximum = kernel.amax([2L, 3L]);
        var logits = _output.forward(nn.functional.relu(_hidden.forward(average))) + _output.forward(nn.functional.relu(_hidden.forward(maximum)));
        return (kernel * GeneratorLayers.Gate(logits).unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }
}
