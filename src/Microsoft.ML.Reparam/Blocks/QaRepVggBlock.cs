using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// The quantization-friendly RepVGG block after QARepVGG (Chu et al., 2023): K×K conv+BN, a bare 1×1 convolution and,
/// when channels match at stride 1, a bare identity, summed and then normalized by one batch norm (docs/quantization.md).
/// Without a batch norm of their own, the 1×1 and identity branches cannot rescale a channel's folded kernel by an
/// unbounded γ/σ, which keeps the folded weights' per-channel range close to the K×K branch's. It folds exactly:
/// the branch sum (docs/folding.md, F4), then the post batch norm (eq. 1 applied to a kernel with bias).
/// </summary>
internal sealed class QaRepVggBlock : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly ConvBn _dense;
    private readonly Conv2d? _pointwise;
    private readonly bool _identity;
    private readonly BatchNormalization _norm;

    /// <summary>Initializes a new instance of the <see cref="QaRepVggBlock"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape.</param>
    public QaRepVggBlock(ConvGeometry geometry)
        : base(nameof(QaRepVggBlock))
    {
        geometry.Validate();
        Geometry = geometry;
        _dense = new ConvBn(geometry);
        _pointwise = geometry.KernelSize > 1
            ? nn.Conv2d(geometry.InChannels, geometry.OutChannels, 1, stride: geometry.Stride, groups: geometry.Groups, bias: false)
            : null;
        _identity = geometry.AllowsIdentity;
        _norm = new BatchNormalization(geometry.OutChannels);
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var sum = _dense.forward(input);
        if (_pointwise is not null)
        {
            sum = sum.Plus(_pointwise.forward(input));
        }

        if (_identity)
        {
            sum = sum.Plus(input);
        }

        return _norm.forward(sum).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        var answers = new List<(Tensor Kernel, Tensor Bias)> { _dense.GetEquivalentKernelAndBias() };
        var zeroBias = zeros(Geometry.OutChannels, dtype: answers[0].Bias.dtype, device: answers[0].Bias.device);
        if (_pointwise is not null)
        {
            answers.Add((_pointwise.weight!, zeroBias));
        }

        if (_identity)
        {
            answers.Add((KernelAlgebra.IdentityKernel(Geometry.OutChannels, Geometry.Groups, Geometry.KernelSize, answers[0].Kernel), zeroBias));
        }

        var (kernel, bias) = KernelAlgebra.ThenBatchNorm(KernelAlgebra.SumBranches(Geometry.KernelSize, answers), _norm);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dense.Dispose();
            _pointwise?.Dispose();
            _norm.Dispose();
        }

        base.Dispose(disposing);
    }
}
