using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Online;

/// <summary>
/// A convolution whose kernel is computed from parameters on every forward pass — by a <see cref="KernelSource"/>,
/// optionally transformed by a kernel generator network — followed by one batch norm. Training costs one convolution
/// on the data; folding computes the kernel once and fuses the batch norm (docs/folding.md, "OREPA"; docs/nkr.md).
/// </summary>
internal sealed class GeneratedKernelBlock : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly KernelSource _source;
    private readonly nn.Module<Tensor, Tensor>? _generator;
    private readonly BatchNormalization _norm;

    /// <summary>Initializes a new instance of the <see cref="GeneratedKernelBlock"/> class.</summary>
    /// <param name="source">The kernel's parameters.</param>
    /// <param name="generator">A network mapping the source kernel to the kernel used (same shape), or null to use it as is.</param>
    public GeneratedKernelBlock(KernelSource source, nn.Module<Tensor, Tensor>? generator = null)
        : base(nameof(GeneratedKernelBlock))
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _generator = generator;
        _norm = new BatchNormalization(source.Geometry.OutChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry => _source.Geometry;

    /// <summary>Returns the kernel the convolution uses: the source's, through the generator if there is one.</summary>
    /// <returns>The kernel; the caller owns it.</returns>
    public Tensor Kernel()
    {
        using var scope = NewDisposeScope();
        var kernel = _source.Kernel();
        return (_generator is null ? kernel : _generator.forward(kernel)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var g = Geometry;
        var output = nn.functional.conv2d(input, Kernel(), strides: [g.Stride, g.Stride], padding: [g.Padding, g.Padding], groups: g.Groups);
        return _norm.forward(output).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        var (kernel, bias) = KernelAlgebra.FuseBatchNorm(Kernel(), _norm);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source.Dispose();
            _generator?.Dispose();
            _norm.Dispose();
        }

        base.Dispose(disposing);
    }
}
