using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// A. Activation MLP (docs/nkr.md, eq. A): the kernel [O, I, K, K] is read as O maps of I channels; two M×M
/// convolutions over it with a GELU between, the second zero-initialised, added to the kernel: W' = W + s·C₂(GELU(C₁(W))),
/// s = 1/√(O·K²) because C₁ and C₂ are shared by all O filters and K² positions (eq. N2).
/// </summary>
internal sealed class ActivationMlpGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _first;
    private readonly Conv2d _second;
    private readonly double _residualScale;

    /// <summary>Initializes a new instance of the <see cref="ActivationMlpGenerator"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    /// <param name="size">M, the generator's own kernel size (odd, at most K).</param>
    public ActivationMlpGenerator(ConvGeometry geometry, int size)
        : base(nameof(ActivationMlpGenerator))
    {
        if (size % 2 == 0 || size > geometry.KernelSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"M must be odd and at most K = {geometry.KernelSize}.");
        }

        var channels = geometry.InChannelsPerGroup;
        _first = nn.Conv2d(channels, channels, size, padding: size / 2);
        _second = nn.Conv2d(channels, channels, size, padding: size / 2);
        using (no_grad())
        {
            _second.weight!.zero_();
            _second.bias!.zero_();
        }

        _residualScale = GeneratorLayers.ResidualScale(geometry.OutChannels * geometry.KernelSize * geometry.KernelSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor kernel)
    {
        using var scope = NewDisposeScope();
        return kernel.Plus(_second.forward(nn.functional.gelu(_first.forward(kernel))).Times(_residualScale)).MoveToOuterDisposeScope();
    }
}
