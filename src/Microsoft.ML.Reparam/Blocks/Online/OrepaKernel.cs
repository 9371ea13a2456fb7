using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Online;

/// <summary>
/// OREPA's kernel: six linear branches without batch norm — K×K; 1×1 → average pooling; 1×1 → fixed frequency prior;
/// 1×1 (identity-initialised) → K×K; 1×1; depthwise K×K → pointwise (depthwise-separable) — each scaled per output
/// channel by a learned vector and squeezed into one K×K kernel on every forward pass (docs/folding.md, "OREPA").
/// </summary>
internal sealed class OrepaKernel : KernelSource
{
    private const int SeparableExpansion = 8;

    private readonly Parameter _origin;
    private readonly Parameter _averagePointwise;
    private readonly Parameter _priorPointwise;
    private readonly Parameter _pointwise;
    private readonly Parameter _sequentialFirst;
    private readonly Parameter _sequentialSecond;
    private readonly Parameter _depthwise;
    private readonly Parameter _separablePointwise;
    private readonly Parameter _scales;
    private readonly Tensor _prior;
    private readonly Tensor _identity;

    /// <summary>Initializes a new instance of the <see cref="OrepaKernel"/> class.</summary>
    /// <param name="geometry">The kernel's shape.</param>
    public OrepaKernel(ConvGeometry geometry)
        : base(nameof(OrepaKernel), geometry)
    {
        var (o, i, k, g) = (geometry.OutChannels, geometry.InChannelsPerGroup, geometry.KernelSize, geometry.Groups);
        var inner = geometry.InChannels;
        _origin = KaimingParameter(0, o, i, k, k);
        _averagePointwise = KaimingParameter(0, o, i, 1, 1);
        _priorPointwise = KaimingParameter(0, o, i, 1, 1);
        _pointwise = KaimingParameter(0, o, i, 1, 1);
        _sequentialFirst = nn.Parameter(zeros(inner, i, 1, 1));
        _sequentialSecond = KaimingParameter(0, o, inner / g, k, k);
        _depthwise = KaimingParameter(0, geometry.InChannels * SeparableExpansion, 1, k, k);
        _separablePointwise = KaimingParameter(0, o, geometry.InChannels * SeparableExpansion / g, 1, 1);
        _scales = nn.Parameter(tensor(new[] { 0.25f, 0.25f, 0f, 0.5f, 1f, 0.5f }).reshape(6, 1).repeat(1, o).contiguous());
        _prior = FrequencyPrior(o, k);
        _identity = KernelAlgebra.IdentityKernel(inner, g, 1, _origin);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor Kernel()
    {
        using var scope = NewDisposeScope();
        var (k, g) = (Geometry.KernelSize, Geometry.Groups);
        var average = _averagePointwise.DividedBy(k * k) * ones(1, 1, k, k, dtype: _origin.dtype, device: _origin.device);
        var prior = _priorPointwise * _prior.unsqueeze(1);
        var (sequential, _) = KernelAlgebra.ComposeSequential((_sequentialFirst.Plus(_identity), null), (_sequentialSecond, null), g);
        var pointwise = KernelAlgebra.PadToSize(_pointwise, k);
        Tensor[] branches = [_origin, average.expand_as(_origin), prior, sequential, pointwise, Separable()];
        var kernel = branches.Select((branch, b) => branch * _scales[b].reshape(-1, 1, 1, 1)).Aggregate((sum, next) => sum.Plus(next));
        return kernel.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var tensor in new Tensor[] { _origin, _averagePointwise, _priorPointwise, _pointwise, _sequentialFirst, _sequentialSecond, _depthwise, _separablePointwise, _scales, _prior, _identity })
            {
                tensor.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Depthwise K×K over C_in·E channels (channel c·E + e reads input c) then grouped pointwise:
    /// <c>W[o, i] = Σ_e P[o, i·E + e] · D[(group·C_in/g + i)·E + e]</c>.
    /// </summary>
    private Tensor Separable()
    {
        var g = Geometry;
        var perGroup = g.InChannelsPerGroup;
        var depthwise = _depthwise.reshape(g.Groups, perGroup, SeparableExpansion, g.KernelSize, g.KernelSize);
        var pointwise = _separablePointwise.reshape(g.Groups, g.OutChannels / g.Groups, perGroup, SeparableExpansion);
        return einsum("giehw,goie->goihw", depthwise, pointwise)
            .reshape(g.OutChannels, perGroup, g.KernelSize, g.KernelSize);
    }

    /// <summary>OREPA's frequency prior: the first half of the filters are vertical cosines, the second half horizontal ones.</summary>
    private static Tensor FrequencyPrior(int filters, int size)
    {
        var values = new float[filters * size * size];
        var half = filters / 2.0;
        for (var f = 0; f < filters; f++)
        {
            for (var h = 0; h < size; h++)
            {
                for (var w = 0; w < size; w++)
                {
                    var (position, frequency) = f < half ? (h, f + 1.0) : (w, f + 1.0 - half);
                    values[(((f * size) + h) * size) + w] = (float)Math.Cos(Math.PI * (position + 0.5) * frequency / size);
                }
            }
        }

        return tensor(values).reshape(filters, size, size);
    }
}
