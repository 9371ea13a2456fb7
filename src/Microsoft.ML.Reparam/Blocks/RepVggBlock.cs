namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// RepVGG block: K×K conv+BN, 1×1 conv+BN and, when channels match at stride 1, an identity BN, summed
/// (docs/folding.md, "RepVGG"). The activation is not part of the block.
/// </summary>
internal sealed class RepVggBlock : ParallelBranchBlock
{
    /// <summary>Initializes a new instance of the <see cref="RepVggBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape.</param>
    public RepVggBlock(ConvGeometry geometry)
        : base(nameof(RepVggBlock), geometry, DenseAndPointwise(geometry, 1), identity: true)
    {
    }
}
