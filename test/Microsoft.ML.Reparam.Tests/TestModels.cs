using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests;

internal static class TestModels
{
    /// <summary>Gives every batch norm random running statistics and affine parameters, so folds are tested away from the identity.</summary>
    public static void RandomizeBatchNorm(nn.Module module)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (_, child) in module.named_modules())
        {
            if (child is BatchNorm2d norm)
            {
                var channels = norm.running_mean!.shape[0];
                norm.running_mean!.copy_(randn(channels) * 0.5f);
                norm.running_var!.copy_(rand(channels) + 0.5f);
                norm.weight!.copy_(randn(channels) * 0.5f + 1f);
                norm.bias!.copy_(randn(channels) * 0.2f);
            }
        }
    }
}
