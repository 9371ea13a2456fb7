using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// E. Split attention (docs/nkr.md, eq. E): N kernels U_n = W + D_n (D_n learned, starting at zero); their sum pooled
/// over K×K gives z ∈ ℝ^{O×I}; FC₁ → ReLU → N FCs give logits per split, softmax across the N splits gives a_n[o,i];
/// W' = Σ_n a_n ⊙ U_n. At the start all U_n = W, so W' = W.
/// </summary>
internal sealed class SplitAttentionGenerator : nn.Module<Tensor, Tensor>
{
    private const int Splits = 2;
    private readonly Parameter _offsets;
    private readonly Linear _hidden;
    private readonly Linear _splitLogits;

    /// <summary>Initializes a new instance of the <see cref="SplitAttentionGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public SplitAttentionGenerator(ConvGeometry geometry)
        : base(nameof(SplitAttentionGenerator))
    {
        var channels = geometry.InChannelsPerGroup;
        var hidden = GeneratorLayers.Hidden(channels, 4);
        _offsets = nn.Parameter(zeros(new long[] { Splits }.Concat(geometry.KernelShape).ToArray(), dtype: ScalarType.Float32));
        _hidden = nn.Linear(channels, hidden);
        _splitLogits = nn.Linear(hidden, Splits * channels); // the N FCs, stacked
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        var splits = kernel.unsqueeze(0).Plus(_offsets); // [N, O, I, K, K]
        var pooled = splits.sum(dim: 0).mean([2L, 3L]); // [O, I]
        var logits = _splitLogits.forward(nn.functional.relu(_hidden.forward(pooled))).reshape(kernel.shape[0], Splits, kernel.shape[1]);
        var weights = nn.functional.softmax(logits, 1).permute(1, 0, 2).unsqueeze(-1).unsqueeze(-1); // [N, O, I, 1, 1]
        return (weights * splits).sum(dim: 0).MoveToOuterDisposeScope();
    }
}
