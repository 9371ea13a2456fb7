using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>The initial state of a block whose output is added to a residual path.</summary>
internal static class OutputBlock
{
    /// <summary>
    /// Makes <paramref name="block"/> start with a zero output, so that a residual network whose last block it is starts
    /// as its identity path (docs/restoration.md, "Networks"), whatever its kind: the scale γ of every batch norm is set
    /// to zero (the zero-γ initialisation of residual branches), and in kinds without batch norm the last linear stage
    /// of every branch — a convolution with bias (Conv, ECB's K×K branch), ECB's squeeze convolution, ECB's edge-filter
    /// scales and biases. Every parameter keeps a non-zero gradient, so the block learns from the first step.
    /// </summary>
    /// <param name="block">The block.</param>
    public static void StartAtZero(nn.Module block)
    {
        using var noGrad = no_grad();
        foreach (var (_, child) in block.named_modules().Prepend((string.Empty, block)))
        {
            switch (child)
            {
                case BatchNormalization norm:
                    norm.Weight.zero_();
                    break;
                case ConvWithBias conv:
                    conv.ZeroOutput();
                    break;
                case EcbSequentialBranch branch:
                    branch.ZeroOutput();
                    break;
            }
        }
    }
}
