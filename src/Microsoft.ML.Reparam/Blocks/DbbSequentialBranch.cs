using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// DBB's sequential branch: 1×1 conv (C_in → C_in, initialised to the identity) → BN (padded with its own zero-input
/// value) → K×K conv with the block's stride, no padding → BN. Folds by F5 (docs/folding.md, "DBB").
/// </summary>
internal sealed class DbbSequentialBranch : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly Conv2d _pointwise;
    private readonly BatchNormAndPad _firstNorm;
    private readonly Conv2d _dense;
    private readonly BatchNormalization _norm;

    /// <summary>Initializes a new instance of the <see cref="DbbSequentialBranch"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape.</param>
    public DbbSequentialBranch(ConvGeometry geometry)
        : base(nameof(DbbSequentialBranch))
    {
        geometry.Validate();
        Geometry = geometry;
        var inner = geometry.InChannels;
        _pointwise = nn.Conv2d(geometry.InChannels, inner, 1, groups: geometry.Groups, bias: false);
        _firstNorm = new BatchNormAndPad(inner, geometry.Padding);
        _dense = nn.Conv2d(inner, geometry.OutChannels, geometry.KernelSize, stride: geometry.Stride, groups: geometry.Groups, bias: false);
        _norm = new BatchNormalization(geometry.OutChannels);
        using (no_grad())
        {
            using var identity = KernelAlgebra.IdentityKernel(inner, geometry.Groups, 1, _pointwise.weight!);
            _pointwise.weight!.copy_(identity);
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _norm.forward(_dense.forward(_firstNorm.forward(_pointwise.forward(input)))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        var first = KernelAlgebra.FuseBatchNorm(_pointwise.weight!, _firstNorm.Norm);
        var second = KernelAlgebra.FuseBatchNorm(_dense.weight!, _norm);
        var (kernel, bias) = KernelAlgebra.ComposeSequential(first, second, Geometry.Groups);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pointwise.Dispose();
            _firstNorm.Dispose();
            _dense.Dispose();
            _norm.Dispose();
        }

        base.Dispose(disposing);
    }
}
