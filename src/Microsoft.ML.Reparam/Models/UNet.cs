using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A U-Net-style encoder–decoder of reparameterizable blocks: per level a stage of blocks with ReLU, 2×2 max pooling
/// between levels, and per decoder level an upsampling to the skip input's size, concatenation with it and a stage of
/// blocks; a 1×1 convolution gives per-pixel logits. Fully convolutional: it runs, and its folded graph exports, at any
/// input size, odd sizes included (the upsampling follows the skip's size, not a fixed factor).
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
    /// <param name="depth">Blocks per stage.</param>
    /// <param name="upsampling">How the decoder upsamples.</param>
    public UNet(int inputChannels, int outputChannels, IReadOnlyList<int> widths, BlockSpec spec, int depth = 1, PlainResizeMode upsampling = PlainResizeMode.Nearest)
        : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(widths.Count, 2, nameof(widths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(depth);
        var encoders = new List<Sequential>();
        var channels = inputChannels;
        foreach (var width in widths)
        {
            encoders.Add(Stage(spec, channels, width, depth));
            channels = width;
        }

        var decoders = new List<DecoderStage>();
        for (var level = widths.Count - 2; level >= 0; level--)
        {
            decoders.Add(new DecoderStage(Stage(spec, channels + widths[level], widths[level], depth), upsampling));
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
        for (var level = 0; level < _encoders.Count; level++)
        {
            x = _encoders[level].forward(level == 0 ? x : nn.functional.max_pool2d(x, 2, 2));
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
        for (var level = 0; level < _encoders.Count; level++)
        {
            x = folder.Fold(_encoders[level], level == 0 ? x : folder.Builder.Add(new PlainPool(PlainPoolKind.Max, 2, 2), x));
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

    private static Sequential Stage(BlockSpec spec, int inChannels, int outChannels, int depth) => nn.Sequential(
        Enumerable.Range(0, depth).SelectMany(i => new[] { BlockFactory.Create(spec, new ConvGeometry(i == 0 ? inChannels : outChannels, outChannels)), nn.ReLU() }));
}
