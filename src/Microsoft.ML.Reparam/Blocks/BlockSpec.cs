using Microsoft.ML.Reparam.Blocks.Nkr;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>Which block to train at each convolution, with the options of the kinds that have some.</summary>
/// <param name="Kind">The block kind.</param>
/// <param name="Generator">The kernel generator of <see cref="BlockKind.Nkr"/> blocks (also applicable to <see cref="BlockKind.Orepa"/>); ignored by the other kinds.</param>
/// <param name="MobileOneBranches">k, the parallel K×K branches of <see cref="BlockKind.MobileOne"/> blocks.</param>
internal sealed record BlockSpec(BlockKind Kind, KernelGenerator Generator = KernelGenerator.None, int MobileOneBranches = 4)
{
    /// <summary>Gets a short name for reports: the kind, with the generator or branch count when they apply.</summary>
    public string Name => Kind switch
    {
        BlockKind.Nkr or BlockKind.Orepa when Generator != KernelGenerator.None => $"{Kind}-{Generator}",
        BlockKind.MobileOne => $"{Kind}-k{MobileOneBranches}",
        _ => Kind.ToString(),
    };

    /// <summary>Converts a kind to a spec with default options.</summary>
    /// <param name="kind">The block kind.</param>
    public static implicit operator BlockSpec(BlockKind kind) => new(kind);

    /// <summary>Throws when the combination is not valid.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown block kind.");
        }

        if (!Enum.IsDefined(Generator))
        {
            throw new ArgumentOutOfRangeException(nameof(Generator), Generator, "Unknown kernel generator.");
        }

        if (Kind == BlockKind.Nkr && Generator == KernelGenerator.None)
        {
            throw new ArgumentException("BlockKind.Nkr needs a kernel generator (ActivationMlp, SqueezeExcitation, SelfAttention, ChannelAttention, SplitAttention or GatedFeedForward).", nameof(Generator));
        }

        if (Generator != KernelGenerator.None && Kind is not (BlockKind.Nkr or BlockKind.Orepa))
        {
            throw new ArgumentException($"A kernel generator applies to blocks whose kernel comes from parameters (Nkr, Orepa), not to {Kind}.", nameof(Generator));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MobileOneBranches, nameof(MobileOneBranches));
    }
}
