using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// Asymmetric convolution block (ACB): K×K, 1×K and K×1 convolutions, each with batch norm, summed
/// (docs/folding.md, "ACB"). The 1×K and K×1 kernels fold by zero-padding to K×K.
/// </summary>
internal sealed class AcbBlock : ParallelBranchBlock
{
    /// <summary>Initializes a new instance of the <see cref="AcbBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape; K must be at least 3.</param>
    public AcbBlock(ConvGeometry geometry)
        : base(nameof(AcbBlock), geometry, Branches(geometry), identity: false)
    {
    }

    private static IEnumerable<nn.Module<Tensor, Tensor>> Branches(ConvGeometry geometry)
    {
        if (geometry.KernelSize < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(geometry), geometry.KernelSize, "ACB needs a kernel of at least 3x3.");
        }

        yield return new ConvBn(geometry);
        yield return new ConvBn(geometry, 1, geometry.KernelSize);
        yield return new ConvBn(geometry, geometry.KernelSize, 1);
    }
}
