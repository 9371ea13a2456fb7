namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// Diverse branch block (DBB): K×K conv+BN, 1×1 conv+BN, 1×1 → average pooling, and 1×1 → K×K, summed
/// (docs/folding.md, "DBB").
/// </summary>
internal sealed class DbbBlock : ParallelBranchBlock
{
    /// <summary>Initializes a new instance of the <see cref="DbbBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape; K must be at least 3.</param>
    public DbbBlock(ConvGeometry geometry)
        : base(nameof(DbbBlock), geometry, [new ConvBn(geometry), new ConvBn(geometry, kernelSize: 1), new DbbAverageBranch(geometry), new DbbSequentialBranch(geometry)], identity: false)
    {
    }
}
