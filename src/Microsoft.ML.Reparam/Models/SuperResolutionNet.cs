using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// The ECBSR layout for super-resolution by a factor r: a 3×3 block from the image's channels to C, M blocks of C
/// channels, each followed by PReLU, a 3×3 block to r²·channels, pixel shuffle, and the input upsampled by nearest
/// neighbour added back as a global residual (ECBSR adds the input to each of the r² sub-pixel channels before the
/// shuffle, which is the same). Every block is a reparameterizable block of any kind; the network folds to plain 3×3
/// convolutions, PReLU, depth-to-space, a resize and an Add, and runs at any size.
/// </summary>
internal sealed class SuperResolutionNet : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly Sequential _body;
    private readonly int _scale;

    /// <param name="channels">Image channels (1 for luma, 3 for RGB).</param>
    /// <param name="scale">The upscale factor r (2, 3 or 4).</param>
    /// <param name="blocks">M, the blocks between head and tail.</param>
    /// <param name="width">C, the channels of the head and the middle blocks.</param>
    /// <param name="spec">The block kind of every convolution.</param>
    public SuperResolutionNet(int channels, int scale, int blocks, int width, BlockSpec spec)
        : base(nameof(SuperResolutionNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        _scale = scale;
        var layers = new List<nn.Module<Tensor, Tensor>> { BlockFactory.Create(spec, new ConvGeometry(channels, width)), new ParametricRelu(width) };
        for (var i = 0; i < blocks; i++)
        {
            layers.Add(BlockFactory.Create(spec, new ConvGeometry(width, width)));
            layers.Add(new ParametricRelu(width));
        }

        var tail = BlockFactory.Create(spec, new ConvGeometry(width, channels * scale * scale));
        OutputBlock.StartAtZero(tail); // the network starts as the upsampled input
        layers.Add(tail);
        layers.Add(nn.PixelShuffle(scale));
        _body = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var shuffled = _body.forward(input);
        return shuffled.Plus(new PlainResize(PlainResizeMode.Nearest).Evaluate([input, shuffled], PlainWeights.None)).MoveToOuterDisposeScope();
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input)
    {
        var shuffled = folder.Fold(_body, input);
        return folder.Builder.Add(new PlainAdd(), shuffled, folder.Builder.Add(new PlainResize(PlainResizeMode.Nearest), input, shuffled));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
        }

        base.Dispose(disposing);
    }
}
