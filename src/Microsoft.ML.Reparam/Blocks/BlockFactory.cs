using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Blocks.Online;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>Creates the training-time block of a given kind for a convolution shape.</summary>
internal static class BlockFactory
{
    /// <summary>Creates a block that folds into a convolution of <paramref name="geometry"/>.</summary>
    /// <param name="spec">The block kind and its options.</param>
    /// <param name="geometry">The folded convolution's shape.</param>
    /// <returns>A module that also implements <see cref="IReparamBlock"/>.</returns>
    public static nn.Module<Tensor, Tensor> Create(BlockSpec spec, ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        return spec.Kind switch
        {
            BlockKind.Plain => new ConvBn(geometry),
            BlockKind.Conv => new ConvWithBias(geometry),
            BlockKind.RepVgg => new RepVggBlock(geometry),
            BlockKind.QaRepVgg => new QaRepVggBlock(geometry),
            BlockKind.Acb => new AcbBlock(geometry),
            BlockKind.Dbb => new DbbBlock(geometry),
            BlockKind.MobileOne => new MobileOneBlock(geometry, spec.MobileOneBranches),
            BlockKind.Ecb => new EcbBlock(geometry),
            BlockKind.Orepa => new GeneratedKernelBlock(new OrepaKernel(geometry), KernelGenerators.CreateOrNull(spec.Generator, geometry)),
            BlockKind.Nkr => new GeneratedKernelBlock(new BaseKernels(geometry), KernelGenerators.CreateOrNull(spec.Generator, geometry)),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, $"Unknown block kind '{spec.Kind}'."),
        };
    }
}
