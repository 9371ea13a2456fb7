using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// VGG-style classifier: reparameterizable blocks each followed by ReLU, global average pooling and a
/// linear head. Which block stands at each position is the caller's choice; the folded network is the
/// same plain CNN for every choice. With spectral downsampling, the block at each downsampling position (see
/// <see cref="ClassifierArchitecture.DownsamplingPositions"/>) has stride 1 and is followed by
/// spectral pooling or DiffStride, which folds to two matrix products (docs/diffstride.md).
/// </summary>
internal sealed class VggClassifier : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _layers;

    /// <summary>Initializes a new instance of the <see cref="VggClassifier"/> class.</summary>
    /// <param name="architecture">The deployed shape.</param>
    /// <param name="createBlock">Creates the block for each convolution; the module must implement <see cref="IReparamBlock"/>.</param>
    /// <param name="downsampling">How stages with stride &gt; 1 downsample.</param>
    public VggClassifier(ClassifierArchitecture architecture, Func<ConvGeometry, nn.Module<Tensor, Tensor>> createBlock, DownsamplingSpec? downsampling = null)
        : base(nameof(VggClassifier))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(createBlock);
        Architecture = architecture;
        var layers = new List<nn.Module<Tensor, Tensor>>();
        foreach (var (strided, position) in architecture.BlockGeometries().Zip(architecture.DownsamplingPositions()))
        {
            var downsampler = position ? (downsampling ?? DownsamplingSpec.Strided).CreateLayer(strided.Stride) : null;
            var geometry = downsampler is null ? strided : strided with { Stride = 1 };
            var block = createBlock(geometry);
            if (block is not IReparamBlock)
            {
                throw new ArgumentException($"The block created for {geometry} ({block.GetType().Name}) does not implement {nameof(IReparamBlock)}.", nameof(createBlock));
            }

            layers.Add(block);
            if (downsampler is not null)
            {
                layers.Add(downsampler);
            }

            layers.Add(nn.ReLU());
        }

        layers.Add(nn.AdaptiveAvgPool2d(1));
        layers.Add(nn.Flatten());
        layers.Add(nn.Linear(architecture.StageWidths[^1], architecture.Classes));
        _layers = nn.ModuleList(layers.ToArray());
        RegisterComponents();
    }

    /// <summary>Initializes a new instance of the <see cref="VggClassifier"/> class with blocks of one kind.</summary>
    /// <param name="architecture">The deployed shape.</param>
    /// <param name="spec">The block kind (and its options) used at every position.</param>
    /// <param name="downsampling">How stages with stride &gt; 1 downsample.</param>
    public VggClassifier(ClassifierArchitecture architecture, BlockSpec spec, DownsamplingSpec? downsampling = null)
        : this(architecture, geometry => BlockFactory.Create(spec, geometry), downsampling)
    {
    }

    /// <summary>Gets the deployed shape.</summary>
    public ClassifierArchitecture Architecture { get; }


    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var layer in _layers)
        {
            x = layer.forward(x);
        }

        return x.MoveToOuterDisposeScope();
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input) => _layers.Aggregate(input, (value, layer) => folder.Fold(layer, value));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }

        base.Dispose(disposing);
    }
}
