using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// An ECB branch (no batch norm): 1×1 conv with bias → padding with that bias → a 3×3 stage with the block's stride:
/// either a learned 3×3 conv (expand 2×C_out → squeeze) or a fixed edge filter per channel times a learned scale, plus
/// a learned bias (docs/folding.md, "ECB"; folds by F5 or F6).
/// </summary>
internal sealed class EcbSequentialBranch : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private const int Size = 3;
    private readonly Conv2d _pointwise;
    private readonly Conv2d? _squeeze;
    private readonly Parameter? _scale;
    private readonly Parameter? _bias;
    private readonly Tensor? _filter;

    /// <summary>Initializes a new instance of the <see cref="EcbSequentialBranch"/> class.</summary>
    /// <param name="geometry">The folded convolution's shape; K must be at least 3.</param>
    /// <param name="filter">A fixed edge filter, or null for the learned expand–squeeze pair.</param>
    public EcbSequentialBranch(ConvGeometry geometry, EdgeFilter? filter)
        : base(nameof(EcbSequentialBranch))
    {
        geometry.Validate();
        if (geometry.KernelSize < Size)
        {
            throw new ArgumentOutOfRangeException(nameof(geometry), geometry.KernelSize, "ECB needs a kernel of at least 3x3.");
        }

        Geometry = geometry with { KernelSize = Size };
        var inner = filter is null ? 2 * geometry.OutChannels : geometry.OutChannels;
        _pointwise = nn.Conv2d(geometry.InChannels, inner, 1, groups: geometry.Groups);
        if (filter is { } kind)
        {
            _filter = Filter(kind).reshape(1, 1, Size, Size).expand(geometry.OutChannels, 1, Size, Size).contiguous();
            _scale = nn.Parameter(randn(geometry.OutChannels).Times(1e-3f));
            _bias = nn.Parameter(randn(geometry.OutChannels).Times(1e-3f));
        }
        else
        {
            _squeeze = nn.Conv2d(inner, geometry.OutChannels, Size, stride: geometry.Stride, groups: geometry.Groups);
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <summary>Sets the last stage (the squeeze convolution, or the edge filter's scales and biases) to zero (<see cref="OutputBlock.StartAtZero"/>); call under <c>no_grad</c>.</summary>
    internal void ZeroOutput()
    {
        foreach (var parameter in _squeeze is null ? [_scale!, _bias!] : new[] { _squeeze.weight!, _squeeze.bias! })
        {
            parameter.zero_();
        }
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var bias = _pointwise.bias!.reshape(1, -1, 1, 1);
        var padded = nn.functional.pad(_pointwise.forward(input) - bias, [1, 1, 1, 1]).Plus(bias);
        var output = _squeeze is not null
            ? _squeeze.forward(padded)
            : nn.functional.conv2d(padded, _filter! * _scale!.reshape(-1, 1, 1, 1), _bias!, strides: [Geometry.Stride, Geometry.Stride], groups: Geometry.OutChannels);
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        (Tensor, Tensor?) first = (_pointwise.weight!, _pointwise.bias!);
        var (kernel, bias) = _squeeze is not null
            ? KernelAlgebra.ComposeSequential(first, (_squeeze.weight!, _squeeze.bias!), Geometry.Groups)
            : KernelAlgebra.ComposeDepthwise(first, (_filter! * _scale!.reshape(-1, 1, 1, 1), _bias!));
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pointwise.Dispose();
            _squeeze?.Dispose();
            _scale?.Dispose();
            _bias?.Dispose();
            _filter?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Tensor Filter(EdgeFilter kind) => kind switch
    {
        EdgeFilter.SobelX => tensor(new float[] { 1, 0, -1, 2, 0, -2, 1, 0, -1 }),
        EdgeFilter.SobelY => tensor(new float[] { 1, 2, 1, 0, 0, 0, -1, -2, -1 }),
        EdgeFilter.Laplacian => tensor(new float[] { 0, 1, 0, 1, -4, 1, 0, 1, 0 }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown edge filter."),
    };
}
