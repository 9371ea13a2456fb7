using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks;

/// <summary>A named way to build every convolution of a model: a block kind, or a block kind with options.</summary>
internal sealed record BlockConfig(string Name, Func<ConvGeometry, nn.Module<Tensor, Tensor>> CreateBlock);

internal static class BenchmarkModels
{
    /// <summary>The deployed architecture every suite compares: a VGG-style classifier for 28×28 grayscale images.</summary>
    public static ClassifierArchitecture Classifier(int classes = 10) => new(1, 28, 28, classes, [32, 64, 128], [1, 2, 2], [1, 2, 2]);

    /// <summary>Every block configuration the library offers, the plain baseline first.</summary>
    public static IReadOnlyList<BlockConfig> AllBlockConfigs() =>
        Enum.GetValues<BlockKind>().Select(kind => new BlockConfig(kind.ToString(), geometry => BlockFactory.Create(kind, geometry))).ToList();

    public static BlockConfig Find(string name) =>
        AllBlockConfigs().FirstOrDefault(config => string.Equals(config.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown block configuration '{name}'. Known: {string.Join(", ", AllBlockConfigs().Select(c => c.Name))}.");
}
