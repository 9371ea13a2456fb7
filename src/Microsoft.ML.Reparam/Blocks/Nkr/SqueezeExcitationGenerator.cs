using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// B. Squeeze-and-excitation (docs/nkr.md, eq. B): each filter's K×K positions are averaged to z ∈ ℝ^I, then
/// g = 2·σ(FC₂(ReLU(FC₁(z)))) gates the filter's input channels: W'[o,i] = g[o,i]·W[o,i]. FC₂ starts at zero, so g = 1.
/// </summary>
public sealed class SqueezeExcitationGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear _squeeze;
    private readonly Linear _excite;

    /// <summary>Initializes a new instance of the <see cref="SqueezeExcitationGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public SqueezeExcitationGenerator(ConvGeometry geometry)
        : base(nameof(SqueezeExcitationGenerator))
    {
        var channels = geometry.InChannelsPerGroup;
        var hidden = GeneratorLayers.Hidden(channels, 4);
        _squeeze = nn.Linear(channels, hidden);
        _excite = GeneratorLayers.ZeroLinear(hidden, channels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var pooled = kernel.mean([2L, 3L]);
        var gates = GeneratorLayers.Gate(_excite.forward(nn.functional.relu(_squeeze.forward(pooled))));
        return (kernel * gates.unsqueeze(-1).unsqueeze(-1)).MoveToOuterDisposeScope();
    }
}
