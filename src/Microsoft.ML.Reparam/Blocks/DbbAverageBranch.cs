using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// DBB's average branch: 1×1 conv → BN (padded with its own zero-input value) → K×K average pooling with the block's
/// stride → BN. Folds by F5/F6: the pooling is the per-channel filter 1/K² (docs/folding.md, "DBB").
/// </summary>
internal sealed class DbbAverageBranch : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly Conv2d _pointwise;
    private readonly BatchNormAndPad _firstNorm;
    private readonly AvgPool2d _pool;
    private readonly BatchNormalization _norm;

    /// <summary>Initializes a new instance of the <see cref="DbbAverageBranch"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape.</param>
    public DbbAverageBranch(ConvGeometry geometry)
        : base(nameof(DbbAverageBranch))
    {
        geometry.Validate();
        Geometry = geometry;
        _pointwise = nn.Conv2d(geometry.InChannels, geometry.OutChannels, 1, groups: geometry.Groups, bias: false);
        _firstNorm = new BatchNormAndPad(geometry.OutChannels, geometry.Padding);
        _pool = nn.AvgPool2d(geometry.KernelSize, geometry.Stride);
        _norm = new BatchNormalization(geometry.OutChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _norm.forward(_pool.forward(_firstNorm.forward(_pointwise.forward(input)))).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        var first = KernelAlgebra.FuseBatchNorm(_pointwise.weight!, _firstNorm.Norm);
        var size = Geometry.KernelSize;
        var average = HeldArithmetic.Full([Geometry.OutChannels, 1, size, size], 1.0 / (size * size), first.Kernel.dtype, first.Kernel.device);
        var (kernel, bias) = KernelAlgebra.ThenBatchNorm(KernelAlgebra.ComposeDepthwise(first, (average, null)), _norm);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pointwise.Dispose();
            _firstNorm.Dispose();
            _pool.Dispose();
            _norm.Dispose();
        }

        base.Dispose(disposing);
    }
}
