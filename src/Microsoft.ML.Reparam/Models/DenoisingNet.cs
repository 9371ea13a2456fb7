using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A DnCNN-style residual denoiser: D blocks of C channels (the first from the image's channels), each followed by ReLU,
/// and a last 3×3 block that predicts the noise, subtracted from the input: y = x − f(x). Every block is a
/// reparameterizable block of any kind, with no batch norm left after folding; the subtraction folds into the last
/// convolution (its kernel and bias negated) and an Add, so the graph runs at any size.
/// </summary>
internal sealed class DenoisingNet : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly Sequential _features;
    private readonly nn.Module<Tensor, Tensor> _noise;

    /// <param name="channels">Image channels.</param>
    /// <param name="depth">D, the blocks before the noise prediction (at least 1).</param>
    /// <param name="width">C, their channels.</param>
    /// <param name="spec">The block kind of every convolution.</param>
    public DenoisingNet(int channels, int depth, int width, BlockSpec spec)
        : base(nameof(DenoisingNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        _features = nn.Sequential(Enumerable.Range(0, depth).SelectMany(i => new[] { BlockFactory.Create(spec, new ConvGeometry(i == 0 ? channels : width, width)), nn.ReLU() }));
        _noise = BlockFactory.Create(spec, new ConvGeometry(width, channels));
        OutputBlock.StartAtZero(_noise); // the network starts as the identity
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return (input - _noise.forward(_features.forward(input))).MoveToOuterDisposeScope();
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input)
    {
        var features = folder.Fold(_features, input);
        return folder.Builder.Add(new PlainAdd(), input, folder.Builder.Add(GraphFolder.Conv((IReparamBlock)_noise, sign: -1), features));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _features.Dispose();
            _noise.Dispose();
        }

        base.Dispose(disposing);
    }
}
