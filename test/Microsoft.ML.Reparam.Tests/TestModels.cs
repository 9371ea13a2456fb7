using Microsoft.ML.Reparam.Blocks;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests;

internal static class TestModels
{
    /// <summary>Gives every batch norm random running statistics and affine parameters, so folds are tested away from the identity.</summary>
    public static void RandomizeBatchNorm(nn.Module module) => BatchNormStatistics.Randomize(module);
}
