using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>A K×K convolution with bias and no batch norm (ECB's main branch); it is its own fold.</summary>
internal sealed class ConvWithBias : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly Conv2d _conv;

    /// <summary>Initializes a new instance of the <see cref="ConvWithBias"/> class.</summary>
    /// <param name="geometry">The convolution's shape.</param>
    public ConvWithBias(ConvGeometry geometry)
        : base(nameof(ConvWithBias))
    {
        geometry.Validate();
        Geometry = geometry;
        _conv = nn.Conv2d(geometry.InChannels, geometry.OutChannels, geometry.KernelSize, stride: geometry.Stride, padding: geometry.Padding, groups: geometry.Groups);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _conv.forward(input);

    /// <summary>Sets the kernel and bias to zero (<see cref="OutputBlock.StartAtZero"/>); call under <c>no_grad</c>.</summary>
    internal void ZeroOutput()
    {
        _conv.weight!.zero_();
        _conv.bias!.zero_();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias() => (_conv.weight!.alias(), _conv.bias!.alias());

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv.Dispose();
        }

        base.Dispose(disposing);
    }
}
