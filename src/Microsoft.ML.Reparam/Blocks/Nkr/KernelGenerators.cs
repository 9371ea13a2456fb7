using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>Creates the generator network of a <see cref="KernelGenerator"/> kind for a kernel shape.</summary>
internal static class KernelGenerators
{
    /// <summary>Creates the generator, or returns null for <see cref="KernelGenerator.None"/>.</summary>
    /// <param name="kind">The generator kind.</param>
    /// <param name="geometry">The kernel's shape.</param>
    /// <returns>A module mapping a kernel to a kernel of the same shape, or null.</returns>
    public static nn.Module<Tensor, Tensor>? CreateOrNull(KernelGenerator kind, ConvGeometry geometry) => kind switch
    {
        KernelGenerator.None => null,
        KernelGenerator.ActivationMlp => new ActivationMlpGenerator(geometry, Math.Min(3, geometry.KernelSize)),
        KernelGenerator.SqueezeExcitation => new ChannelGateGenerator(geometry, maxPooling: false),
        KernelGenerator.SelfAttention => new SelfAttentionGenerator(geometry),
        KernelGenerator.ChannelAttention => new ChannelGateGenerator(geometry, maxPooling: true),
        KernelGenerator.SplitAttention => new SplitAttentionGenerator(geometry),
        KernelGenerator.GatedFeedForward => new GatedFeedForwardGenerator(geometry),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown kernel generator '{kind}'."),
    };
}
