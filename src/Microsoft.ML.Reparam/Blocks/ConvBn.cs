using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>A bias-free k×k convolution followed by batch norm; the plain block and the branch most blocks are made of.</summary>
internal sealed class ConvBn : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly Conv2d _conv;
    private readonly BatchNormalization _norm;

    /// <summary>Initializes a new instance of the <see cref="ConvBn"/> class.</summary>
    /// <param name="geometry">Channels, stride and groups of the branch.</param>
    /// <param name="kernelSize">The branch's own kernel size (1 for a 1×1 branch); padding is kernelSize / 2.</param>
    public ConvBn(ConvGeometry geometry, int? kernelSize = null)
        : this(geometry, kernelSize ?? geometry.KernelSize, kernelSize ?? geometry.KernelSize)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvBn"/> class with a rectangular kernel (ACB's 1×K and K×1 branches).</summary>
    /// <param name="geometry">Channels, stride and groups of the branch.</param>
    /// <param name="kernelHeight">Kernel rows (odd); padding is kernelHeight / 2.</param>
    /// <param name="kernelWidth">Kernel columns (odd); padding is kernelWidth / 2.</param>
    public ConvBn(ConvGeometry geometry, int kernelHeight, int kernelWidth)
        : base(nameof(ConvBn))
    {
        geometry.Validate();
        Geometry = geometry with { KernelSize = Math.Max(kernelHeight, kernelWidth) };
        _conv = nn.Conv2d(geometry.InChannels, geometry.OutChannels, (kernelHeight, kernelWidth), stride: (geometry.Stride, geometry.Stride), padding: (kernelHeight / 2, kernelWidth / 2), groups: geometry.Groups, bias: false);
        _norm = new BatchNormalization(geometry.OutChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <summary>Gets the convolution's kernel parameter.</summary>
    public Parameter Weight => _conv.weight!;

    /// <summary>Gets the batch norm.</summary>
    public BatchNormalization Norm => _norm;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _norm.forward(_conv.forward(input));

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias() => KernelAlgebra.FuseBatchNorm(_conv.weight!, _norm);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _conv.Dispose();
            _norm.Dispose();
        }

        base.Dispose(disposing);
    }
}
