using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// F. Gated feed-forward (docs/nkr.md, eq. F): tokens are the O filters, features their flattened I·K·K weights X;
/// X' = X + FC₃(GELU(FC₁(LN(X))) ⊙ FC₂(LN(X))), FC₃ starting at zero.
/// </summary>
internal sealed class GatedFeedForwardGenerator : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm _norm;
    private readonly Linear _gate;
    private readonly Linear _value;
    private readonly Linear _output;
    private readonly double _residualScale;

    /// <summary>Initializes a new instance of the <see cref="GatedFeedForwardGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public GatedFeedForwardGenerator(ConvGeometry geometry)
        : base(nameof(GatedFeedForwardGenerator))
    {
        long features = geometry.InChannelsPerGroup * geometry.KernelSize * geometry.KernelSize;
        var hidden = GeneratorLayers.Hidden(features, 8);
        _norm = nn.LayerNorm(features);
        _gate = nn.Linear(features, hidden);
        _value = nn.Linear(features, hidden);
        _output = GeneratorLayers.ZeroLinear(hidden, features);
        _residualScale = GeneratorLayers.ResidualScale(geometry.OutChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var tokens = kernel.flatten(1);
        var normed = _norm.forward(tokens);
        var update = _output.forward(nn.functional.gelu(_gate.forward(normed)) * _value.forward(normed));
        return tokens.Plus(update.Times(_residualScale)).reshape(kernel.shape).MoveToOuterDisposeScope();
    }
}
