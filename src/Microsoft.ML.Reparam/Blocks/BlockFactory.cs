using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>Creates the training-time block of a given kind for a convolution shape.</summary>
public static class BlockFactory
{
    /// <summary>Creates a block that folds into a convolution of <paramref name="geometry"/>.</summary>
    /// <param name="kind">The block kind.</param>
    /// <param name="geometry">The folded convolution's shape.</param>
    /// <returns>A module that also implements <see cref="IReparamBlock"/>.</returns>
    public static nn.Module<Tensor, Tensor> Create(BlockKind kind, ConvGeometry geometry) => kind switch
    {
        BlockKind.Plain => new ConvBn(geometry),
        BlockKind.RepVgg => new RepVggBlock(geometry),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown block kind '{kind}'."),
    };
}
