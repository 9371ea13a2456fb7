using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>Test and benchmark support: batch norms with non-trivial statistics, so that folds are checked away from the identity.</summary>
internal static class BatchNormStatistics
{
    /// <summary>Gives every batch norm in <paramref name="module"/> random running statistics and affine parameters (seed first for repeatability).</summary>
    /// <param name="module">The module whose batch norms are changed.</param>
    public static void Randomize(nn.Module module)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is BatchNormalization norm)
            {
                var channels = norm.RunningMean.shape[0];
                norm.RunningMean.copy_(randn(channels).Times(0.5f));
                norm.RunningVariance.copy_(rand(channels).Plus(0.5f));
                norm.Weight.copy_(randn(channels).Times(0.5f).Plus(1f));
                norm.Bias.copy_(randn(channels).Times(0.2f));
            }
        }
    }

    /// <summary>Adds Gaussian noise of standard deviation <paramref name="scale"/> to every parameter, so that zero-initialised layers (generator outputs) and tiny scales (ECB) are exercised.</summary>
    /// <param name="module">The module whose parameters are changed.</param>
    /// <param name="scale">The noise's standard deviation.</param>
    public static void PerturbParameters(nn.Module module, float scale = 0.1f)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            parameter.PlusInPlace(randn_like(parameter).Times(scale));
        }
    }
}
