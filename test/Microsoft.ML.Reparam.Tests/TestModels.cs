using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests;

internal static class TestModels
{
    /// <summary>Every block kind, each NKR generator, and OREPA with a generator.</summary>
    public static IReadOnlyList<BlockSpec> AllSpecs { get; } =
    [
        .. Enum.GetValues<BlockKind>().Where(k => k != BlockKind.Nkr).Select(k => new BlockSpec(k)),
        new BlockSpec(BlockKind.MobileOne, MobileOneBranches: 2),
        .. Enum.GetValues<KernelGenerator>().Where(g => g != KernelGenerator.None).Select(g => new BlockSpec(BlockKind.Nkr, g)),
        new BlockSpec(BlockKind.Orepa, KernelGenerator.GatedFeedForward),
    ];

    /// <summary>Finds a spec of <see cref="AllSpecs"/> by its <see cref="BlockSpec.Name"/> (test data carries names).</summary>
    public static BlockSpec Spec(string name) => AllSpecs.Single(s => s.Name == name);

    /// <summary>
    /// Gives every batch norm random running statistics and affine parameters, and adds noise to every parameter, so
    /// folds are tested away from the identity (zero-initialised generator layers and tiny ECB scales included).
    /// </summary>
    public static void Randomize(nn.Module module)
    {
        BatchNormStatistics.PerturbParameters(module);
        BatchNormStatistics.Randomize(module);
    }

    /// <summary>Gives every batch norm random running statistics and affine parameters.</summary>
    public static void RandomizeBatchNorm(nn.Module module) => BatchNormStatistics.Randomize(module);
}
