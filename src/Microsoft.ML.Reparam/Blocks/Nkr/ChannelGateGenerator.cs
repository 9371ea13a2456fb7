using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// B. Squeeze-and-excitation and D. channel attention (docs/nkr.md, eqs. B and D): each filter's K×K positions are
/// average-pooled (and, for channel attention, also max-pooled) to descriptors z ∈ ℝ^I; a shared FC₁ → ReLU → FC₂ maps
/// each descriptor, the results are summed, and g = 2·σ(·) gates the filter's input channels: W'[o,i] = g[o,i]·W[o,i].
/// FC₂ starts at zero, so g = 1 and the generated kernel starts as the base kernel.
/// </summary>
internal sealed class ChannelGateGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear _hidden;
    private readonly Linear _output;
    private readonly bool _maxPooling;

    /// <summary>Initializes a new instance of the <see cref="ChannelGateGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    /// <param name="maxPooling">False for squeeze-and-excitation (average pooling only), true for channel attention (average and max).</param>
    public ChannelGateGenerator(ConvGeometry geometry, bool maxPooling)
        : base(maxPooling ? "ChannelAttentionGenerator" : "SqueezeExcitationGenerator")
    {
        var channels = geometry.InChannelsPerGroup;
        var hidden = GeneratorLayers.Hidden(channels, 4);
        _hidden = nn.Linear(channels, hidden);
        _output = GeneratorLayers.ZeroLinear(hidden, channels);
        _maxPooling = maxPooling;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var logits = Excite(kernel.mean([2L, 3L]));
        if (_maxPooling)
        {
            logits = logits.Plus(Excite(kernel.amax([2L, 3L])));
        }

        return (kernel * GeneratorLayers.Gate(logits).unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }

    private Tensor Excite(Tensor descriptor) => _output.forward(nn.functional.relu(_hidden.forward(descriptor)));
}
