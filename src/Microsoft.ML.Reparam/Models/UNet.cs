using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A U-Net-style encoder–decoder of reparameterizable blocks. Each encoder level is a stage of blocks with ReLU; every
/// level after the first halves the size, by a stride-2 first block or, with spectral downsampling, by a spectral layer
/// after it (as the classifiers do). Each decoder level upsamples to the skip input's size, concatenates the skip and
/// runs a stage of blocks; a 1×1 convolution gives per-pixel logits. Fully convolutional: it runs, and its folded graph
/// exports, at any input size, odd sizes included (the upsampling follows the skip's size, not a fixed factor), unless
/// spectral layers fix the size.
/// </summary>
internal sealed class UNet : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly ModuleList<Sequential> _encoders;
    private readonly ModuleList<DecoderStage> _decoders;
    private readonly Conv2d _head;

    /// <summary>Initializes a new instance of the <see cref="UNet"/> class.</summary>
    /// <param name="inputChannels">Image channels.</param>
    /// <param name="outputChannels">Channels of the output map (classes).</param>
    /// <param name="widths">Channels at each level, from the full-resolution one down; two or more.</param>
    /// <param name="spec">The block kind of every K×K convolution.</param>
    /// <param name="depths">Blocks per encoder level (the decoder level of the same size has as many); one value for all levels, or one per level.</param>
    /// <param name="downsampling">How levels after the first halve the size (strided convolution when null).</param>
    /// <param name="upsampling">How the decoder upsamples.</param>
    /// <param name="kernelSize">Kernel size K of every block (odd).</param>
    public UNet(int inputChannels, int outputChannels, IReadOnlyList<int> widths, BlockSpec spec, IReadOnlyList<int>? depths = null, DownsamplingSpec? downsampling = null, PlainResizeMode upsampling = PlainResizeMode.Nearest, int kernelSize = 3)
        : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(widths.Count, 2, nameof(widths));
        depths ??= [1];
        if (depths.Count != 1 && depths.Count != widths.Count || depths.Any(d => d < 1) || widths.Any(w => w < 1))
        {
            throw new ArgumentException($"U-Net widths [{string.Join(", ", widths)}] need one depth for all levels or one per level, each at least 1; got [{string.Join(", ", depths)}].", nameof(depths));
        }

        int Depth(int level) => depths.Count == 1 ? depths[0] : depths[level];
        var encoders = new List<Sequential>();
        var channels = inputChannels;
        for (var level = 0; level < widths.Count; level++)
        {
            var downsampler = level == 0 ? null : (downsampling ?? DownsamplingSpec.Strided).CreateLayer(2);
            var stride = level == 0 || downsampler is not null ? 1 : 2;
            encoders.Add(Stage(spec, channels, widths[level], Depth(level), kernelSize, stride, downsampler));
            channels = widths[level];
        }

        var decoders = new List<DecoderStage>();
        for (var level = widths.Count - 2; level >= 0; level--)
        {
            decoders.Add(new DecoderStage(Stage(spec, channels + widths[level], widths[level], Depth(level), kernelSize, 1, null), upsampling));
            channels = widths[level];
        }

        _encoders = nn.ModuleList([.. encoders]);
        _decoders = nn.ModuleList([.. decoders]);
        _head = nn.Conv2d(channels, outputChannels, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var skips = new List<Tensor>();
        var x = input;
        foreach (var encoder in _encoders)
        {
            x = encoder.forward(x);
            skips.Add(x);
        }

        for (var i = 0; i < _decoders.Count; i++)
        {
            x = _decoders[i].forward(x, skips[^(i + 2)]);
        }

        return _head.forward(x).MoveToOuterDisposeScope();
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input)
    {
        var skips = new List<PlainValue>();
        var x = input;
        foreach (var encoder in _encoders)
        {
            x = folder.Fold(encoder, x);
            skips.Add(x);
        }

        for (var i = 0; i < _decoders.Count; i++)
        {
            x = _decoders[i].Fold(folder, x, skips[^(i + 2)]);
        }

        return folder.Fold(_head, x);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _encoders.Dispose();
            _decoders.Dispose();
            _head.Dispose();
        }

        base.Dispose(disposing);
    }

    private static Sequential Stage(BlockSpec spec, int inChannels, int outChannels, int depth, int kernelSize, int stride, SpectralDownsampler? downsampler)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < depth; i++)
        {
            layers.Add(BlockFactory.Create(spec, new ConvGeometry(i == 0 ? inChannels : outChannels, outChannels, kernelSize, i == 0 ? stride : 1)));
            if (i == 0 && downsampler is not null)
            {
                layers.Add(downsampler);
            }

            layers.Add(nn.ReLU());
        }

        return nn.Sequential(layers);
    }
}
