using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// PReLU with one learned slope per channel, started at 0.25 as TorchSharp's and PyTorch's: TorchSharp 0.107's
/// <c>nn.PReLU</c> fills its slopes with a <see cref="TorchSharp.Scalar"/> made by an implicit conversion, which the
/// collector can free during the call (docs/training.md, "Native calls"). Folds to <c>PlainPrelu</c>.
/// </summary>
internal sealed class ParametricRelu : nn.Module<Tensor, Tensor>
{
    /// <summary>The slope every channel starts at.</summary>
    public const double InitialSlope = 0.25;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    /// <summary>Initializes a new instance of the <see cref="ParametricRelu"/> class.</summary>
    /// <param name="channels">The number of channels, one slope each.</param>
    public ParametricRelu(long channels)
        : base(nameof(ParametricRelu))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _weight = (Parameter)new Parameter(HeldArithmetic.Full([channels], InitialSlope, ScalarType.Float32)).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>Gets the slopes, [channels].</summary>
    public Parameter Weight => _weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => nn.functional.prelu(input, _weight);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _weight.Dispose();
        }

        base.Dispose(disposing);
    }
}
