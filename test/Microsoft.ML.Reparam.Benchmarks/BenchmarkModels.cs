using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Models;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks;

/// <summary>A named way to build every convolution of a model: a block kind, or a block kind with options.</summary>
internal sealed record BlockConfig(string Name, Func<ConvGeometry, nn.Module<Tensor, Tensor>> CreateBlock);

internal static class BenchmarkModels
{
    /// <summary>The deployed architecture every suite compares: a VGG-style classifier for 28×28 grayscale images.</summary>
    public static ClassifierArchitecture Classifier(int classes = 10) => new(1, 28, 28, classes, [32, 64, 128], [1, 2, 2], [1, 2, 2]);

    /// <summary>The linear block kinds, the plain baseline first.</summary>
    public static IReadOnlyList<BlockSpec> LinearSpecs { get; } =
        [.. Enum.GetValues<BlockKind>().Where(kind => kind != BlockKind.Nkr).Select(kind => new BlockSpec(kind))];

    /// <summary>The six NKR kernel generators on the RepVGG-style base kernels.</summary>
    public static IReadOnlyList<BlockSpec> NkrSpecs { get; } =
        [.. Enum.GetValues<KernelGenerator>().Where(g => g != KernelGenerator.None).Select(g => new BlockSpec(BlockKind.Nkr, g))];

    /// <summary>Every block configuration the library offers, the plain baseline first.</summary>
    public static IReadOnlyList<BlockConfig> AllBlockConfigs() =>
        LinearSpecs.Concat(NkrSpecs).Select(spec => new BlockConfig(spec.Name, geometry => BlockFactory.Create(spec, geometry))).ToList();

    public static BlockConfig Find(string name) =>
        AllBlockConfigs().FirstOrDefault(config => string.Equals(config.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown block configuration '{name}'. Known: {string.Join(", ", AllBlockConfigs().Select(c => c.Name))}.");
}
