namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// MobileOne-style block: k parallel K×K conv+BN branches (over-parameterization), a 1×1 conv+BN branch — for a
/// depthwise convolution that is MobileOne's per-channel scale branch — and an identity BN where shapes allow,
/// summed (docs/folding.md, "MobileOne").
/// </summary>
internal sealed class MobileOneBlock : ParallelBranchBlock
{
    /// <summary>Initializes a new instance of the <see cref="MobileOneBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape.</param>
    /// <param name="branches">k, the number of parallel K×K branches (1 or more).</param>
    public MobileOneBlock(ConvGeometry geometry, int branches)
        : base(nameof(MobileOneBlock), geometry, DenseAndPointwise(geometry, branches), identity: true)
    {
    }
}
