using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// ResNet's basic block: a K×K block → ReLU → a K×K block, plus the input (or a 1×1 conv+BN projection when the
/// shape changes), then ReLU. The two K×K convolutions are reparameterizable blocks of any kind; the block folds to
/// conv → ReLU → conv, a shortcut (identity or 1×1 conv) and Add → ReLU. With spectral downsampling both convolutions
/// keep stride 1 and one spectral layer, shared by the main path (after the first convolution) and the projection,
/// downsamples both, so their sizes always match; both paths deploy the same matrices.
/// </summary>
internal sealed class ResidualBlock : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly nn.Module<Tensor, Tensor> _first;
    private readonly nn.Module<Tensor, Tensor> _second;
    private readonly ConvBn? _projection;
    private readonly SpectralDownsampler? _downsampler;

    /// <summary>Initializes a new instance of the <see cref="ResidualBlock"/> class.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="stride">Stride of the first convolution and of the projection, or the (initial) stride of the spectral layer.</param>
    /// <param name="downsampling">How the block downsamples; null (or strided convolution) outside downsampling positions.</param>
    /// <param name="spec">The block kind of the two K×K convolutions (plain conv+BN when null).</param>
    /// <param name="kernelSize">Their kernel size K (odd).</param>
    public ResidualBlock(int inChannels, int outChannels, int stride, DownsamplingSpec? downsampling = null, BlockSpec? spec = null, int kernelSize = 3)
        : base(nameof(ResidualBlock))
    {
        _downsampler = downsampling?.CreateLayer(stride);
        var convStride = _downsampler is null ? stride : 1;
        spec ??= BlockKind.Plain;
        _first = BlockFactory.Create(spec, new ConvGeometry(inChannels, outChannels, kernelSize, convStride));
        _second = BlockFactory.Create(spec, new ConvGeometry(outChannels, outChannels, kernelSize));
        _projection = inChannels != outChannels || stride != 1 || _downsampler is not null ? new ConvBn(new ConvGeometry(inChannels, outChannels, 1, convStride)) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var main = _second.forward(nn.functional.relu(Downsample(_first.forward(input))));
        var shortcut = _projection is null ? input : Downsample(_projection.forward(input));
        return nn.functional.relu(main.Plus(shortcut)).MoveToOuterDisposeScope();
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input)
    {
        var graph = folder.Builder;
        var first = folder.Fold(_first, input);
        var resize = _downsampler?.PlainForm(first.Shape);
        var main = folder.Fold(_second, graph.Add(new PlainRelu(), resize is null ? first : graph.Add(resize, first)));
        var shortcut = _projection is null ? input : folder.Fold(_projection, input);
        if (_projection is not null && resize is not null)
        {
            shortcut = graph.Add(resize, shortcut);
        }

        return graph.Add(new PlainRelu(), graph.Add(new PlainAdd(), main, shortcut));
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
