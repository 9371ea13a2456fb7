using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// ResNet's basic block: 3×3 conv+BN → ReLU → 3×3 conv+BN, plus the input (or a 1×1 conv+BN projection when the
/// shape changes), then ReLU. A residual network is not a chain of plain convolutions, so it does not fold; it is here
/// as the classic baseline for training techniques such as kernel reactivation and learned strides. With spectral
/// downsampling both convolutions keep stride 1 and one spectral layer, shared by the main path (after the first
/// convolution) and the projection, downsamples both, so their sizes always match.
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvBn _first;
    private readonly ConvBn _second;
    private readonly ConvBn? _projection;
    private readonly SpectralDownsampler? _downsampler;

    /// <summary>Initializes a new instance of the <see cref="ResidualBlock"/> class.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the first convolution and of the projection, or the (initial) stride of the spectral layer.</param>
    /// <param name="downsampling">How the block downsamples; null (or strided convolution) outside downsampling positions.</param>
    public ResidualBlock(int inChannels, int outChannels, int stride, DownsamplingSpec? downsampling = null)
        : base(nameof(ResidualBlock))
    {
        _downsampler = downsampling?.CreateLayer(stride);
        var convStride = _downsampler is null ? stride : 1;
        _first = new ConvBn(new ConvGeometry(inChannels, outChannels, 3, convStride));
        _second = new ConvBn(new ConvGeometry(outChannels, outChannels, 3));
        _projection = inChannels != outChannels || stride != 1 || _downsampler is not null ? new ConvBn(new ConvGeometry(inChannels, outChannels, 1, convStride)) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var main = _second.forward(nn.functional.relu(Downsample(_first.forward(input))));
        var shortcut = _projection is null ? input : Downsample(_projection.forward(input));
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
            _downsampler?.Dispose();
        }

        base.Dispose(disposing);
    }

    private Tensor Downsample(Tensor input) => _downsampler?.forward(input) ?? input;
}
