using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>Initial batch-norm scales for blocks whose output is added to a residual path.</summary>
internal static class BatchNormScales
{
    /// <summary>
    /// Sets the scale γ of every batch norm in <paramref name="block"/> to zero, so that the block's output starts at its
    /// shifts β (zero): a residual network whose last block is this one starts as its identity path (docs/restoration.md,
    /// "Networks"). Without it a batch-normed output layer starts with unit variance, far from any image.
    /// </summary>
    /// <param name="block">The block.</param>
    public static void StartAtZero(nn.Module block)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in block.named_modules())
        {
            if (child is BatchNorm2d norm)
            {
                norm.weight!.zero_();
            }
        }
    }
}
