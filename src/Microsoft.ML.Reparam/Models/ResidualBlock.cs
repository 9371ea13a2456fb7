using Microsoft.ML.Reparam.Blocks;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// ResNet's basic block: 3×3 conv+BN → ReLU → 3×3 conv+BN, plus the input (or a 1×1 conv+BN projection when the
/// shape changes), then ReLU. A residual network is not a chain of plain convolutions, so it does not fold; it is here
/// as the classic baseline for training techniques such as kernel reactivation.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvBn _first;
    private readonly ConvBn _second;
    private readonly ConvBn? _projection;

    /// <summary>Initializes a new instance of the <see cref="ResidualBlock"/> class.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the first convolution and of the projection.</param>
    public ResidualBlock(int inChannels, int outChannels, int stride)
        : base(nameof(ResidualBlock))
    {
        _first = new ConvBn(new ConvGeometry(inChannels, outChannels, 3, stride));
        _second = new ConvBn(new ConvGeometry(outChannels, outChannels, 3));
        _projection = inChannels != outChannels || stride != 1 ? new ConvBn(new ConvGeometry(inChannels, outChannels, 1, stride)) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var main = _second.forward(nn.functional.relu(_first.forward(input)));
        var shortcut = _projection?.forward(input) ?? input;
        return nn.functional.relu(main + shortcut).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _first.Dispose();
            _second.Dispose();
            _projection?.Dispose();
        }

        base.Dispose(disposing);
    }
}
