using Microsoft.ML.Reparam.Blocks.Online;
using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>
/// NKR's base kernel: a K×K kernel, a 1×1 kernel padded to K×K and, when shapes allow, the identity, summed in kernel
/// space as RepVGG's branches are (docs/nkr.md, eq. N1). A kernel generator turns it into the kernel the convolution uses.
/// </summary>
internal sealed class BaseKernels : KernelSource
{
    private readonly Parameter _dense;
    private readonly Parameter _pointwise;
    private readonly Tensor? _identity;

    /// <summary>Initializes a new instance of the <see cref="BaseKernels"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public BaseKernels(ConvGeometry geometry)
        : base(nameof(BaseKernels), geometry)
    {
        var (o, i, k) = (geometry.OutChannels, geometry.InChannelsPerGroup, geometry.KernelSize);
        _dense = KaimingParameter(Math.Sqrt(5), o, i, k, k);
        _pointwise = KaimingParameter(Math.Sqrt(5), o, i, 1, 1);
        _identity = geometry.AllowsIdentity ? KernelAlgebra.IdentityKernel(o, geometry.Groups, k, _dense) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Kernel()
    {
        using var scope = NewDisposeScope();
        var kernel = _dense.Plus(KernelAlgebra.PadToSize(_pointwise, Geometry.KernelSize));
        return (_identity is null ? kernel : kernel.Plus(_identity)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dense.Dispose();
            _pointwise.Dispose();
            _identity?.Dispose();
        }

        base.Dispose(disposing);
    }
}
