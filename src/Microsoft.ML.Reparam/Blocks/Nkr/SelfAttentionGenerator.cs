using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// C. Self-attention across filters (docs/nkr.md, eq. C): tokens are the O filters, features their flattened
/// I·K·K weights X. Q = XW_q, K = XW_k (width d_h), V = XW_v (through a rank-d_h bottleneck whose output layer starts at
/// zero); X' = X + softmax(QKᵀ/√d_h)·V.
/// </summary>
internal sealed class SelfAttentionGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _valueDown;
    private readonly Linear _valueUp;
    private readonly double _scale;
    private readonly double _residualScale;

    /// <summary>Initializes a new instance of the <see cref="SelfAttentionGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public SelfAttentionGenerator(ConvGeometry geometry)
        : base(nameof(SelfAttentionGenerator))
    {
        long features = geometry.InChannelsPerGroup * geometry.KernelSize * geometry.KernelSize;
        var width = GeneratorLayers.Hidden(features, 8);
        _query = nn.Linear(features, width);
        _key = nn.Linear(features, width);
        _valueDown = nn.Linear(features, width);
        _valueUp = GeneratorLayers.ZeroLinear(width, features);
        _scale = 1 / Math.Sqrt(width);
        _residualScale = GeneratorLayers.ResidualScale(geometry.OutChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var tokens = kernel.flatten(1);
        var attention = nn.functional.softmax(_query.forward(tokens).matmul(_key.forward(tokens).t()).Times(_scale), 1);
        var update = attention.matmul(_valueUp.forward(_valueDown.forward(tokens)));
        return tokens.Plus(update.Times(_residualScale)).reshape(kernel.shape).MoveToOuterDisposeScope();
    }
}
