namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// Edge-oriented convolution block (ECB, for super-resolution; no batch norm): K×K conv; 1×1 expand → 3×3 squeeze;
/// 1×1 → Sobel-x, 1×1 → Sobel-y and 1×1 → Laplacian, each with a learned per-channel scale and bias; summed
/// (docs/folding.md, "ECB").
/// </summary>
internal sealed class EcbBlock : ParallelBranchBlock
{
    /// <summary>Initializes a new instance of the <see cref="EcbBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape; K must be at least 3.</param>
    public EcbBlock(ConvGeometry geometry)
        : base(
            nameof(EcbBlock),
            geometry,
            [
                new ConvWithBias(geometry),
                new EcbSequentialBranch(geometry, null),
                new EcbSequentialBranch(geometry, EdgeFilter.SobelX),
                new EcbSequentialBranch(geometry, EdgeFilter.SobelY),
                new EcbSequentialBranch(geometry, EdgeFilter.Laplacian),
            ],
            identity: false)
    {
    }
}
