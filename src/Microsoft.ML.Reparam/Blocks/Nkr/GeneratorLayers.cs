using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>Small helpers shared by the kernel generators.</summary>
internal static class GeneratorLayers
{
    /// <summary>A linear layer whose weight and bias start at zero, so that a residual or gated generator starts as the identity.</summary>
    public static Linear ZeroLinear(long inFeatures, long outFeatures)
    {
        var layer = nn.Linear(inFeatures, outFeatures);
        using (no_grad())
        {
            layer.weight!.zero_();
            layer.bias!.zero_();
        }

        return layer;
    }

    /// <summary>The hidden width of a bottleneck: features / reduction, at least 4 and at most <paramref name="features"/>.</summary>
    public static int Hidden(long features, int reduction) => (int)Math.Min(features, Math.Max(4, features / reduction));

    /// <summary>
    /// The factor on a shared generator's residual (docs/nkr.md, eq. N2): its weights are applied at <paramref name="uses"/>
    /// places (filters, or filters × kernel positions), so SGD moves the kernel about that many times faster through them
    /// than through the kernel's own weights; 1/√uses brings the two rates to the same order.
    /// </summary>
    public static double ResidualScale(long uses) => 1 / Math.Sqrt(uses);

    /// <summary>Gates 2·sigmoid(s): 1 when s = 0, so a zero-initialised gate network starts as the identity.</summary>
    public static Tensor Gate(Tensor logits) => sigmoid(logits).Times(2);
}
