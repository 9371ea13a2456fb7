using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// RepVGG block: K×K conv+BN, 1×1 conv+BN and, when channels match at stride 1, an identity BN,
/// summed (docs/folding.md, "RepVGG"). The activation is not part of the block.
/// </summary>
public sealed class RepVggBlock : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly ConvBn _dense;
    private readonly ConvBn? _pointwise;
    private readonly BatchNorm2d? _identity;

    /// <summary>Initializes a new instance of the <see cref="RepVggBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape; K must be at least 3.</param>
    public RepVggBlock(ConvGeometry geometry)
        : base(nameof(RepVggBlock))
    {
        geometry.Validate();
        Geometry = geometry;
        _dense = new ConvBn(geometry);
        _pointwise = geometry.KernelSize > 1 ? new ConvBn(geometry, kernelSize: 1) : null;
        _identity = geometry.AllowsIdentity ? nn.BatchNorm2d(geometry.OutChannels) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = _dense.forward(input);
        if (_pointwise is not null)
        {
            output = output + _pointwise.forward(input);
        }

        if (_identity is not null)
        {
            output = output + _identity.forward(input);
        }

        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        var branches = new List<(Tensor, Tensor)> { _dense.GetEquivalentKernelAndBias() };
        if (_pointwise is not null)
        {
            branches.Add(_pointwise.GetEquivalentKernelAndBias());
        }

        if (_identity is not null)
        {
            var identity = KernelAlgebra.IdentityKernel(Geometry.OutChannels, Geometry.Groups, Geometry.KernelSize, _dense.Weight);
            branches.Add(KernelAlgebra.FuseBatchNorm(identity, _identity));
        }

        var (kernel, bias) = KernelAlgebra.SumBranches(Geometry.KernelSize, branches);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dense.Dispose();
            _pointwise?.Dispose();
            _identity?.Dispose();
        }

        base.Dispose(disposing);
    }
}
