using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A small ResNet: a K×K block + ReLU stem with the first stage's width, then per stage <see cref="ClassifierArchitecture.StageDepths"/>
/// residual blocks (the first with the stage's stride), global average pooling and a linear head. Every K×K convolution
/// is a reparameterizable block of the given kind; the network folds to a plain residual graph (<see cref="ResidualBlock"/>).
/// </summary>
internal sealed class ResNetClassifier : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly Sequential _layers;

    /// <summary>Initializes a new instance of the <see cref="ResNetClassifier"/> class.</summary>
    /// <param name="architecture">Input shape, classes, and the stages' widths, depths and strides.</param>
    /// <param name="downsampling">How the strided blocks downsample.</param>
    /// <param name="spec">The block kind of every K×K convolution (plain conv+BN when null).</param>
    public ResNetClassifier(ClassifierArchitecture architecture, DownsamplingSpec? downsampling = null, BlockSpec? spec = null)
        : base(nameof(ResNetClassifier))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        spec ??= BlockKind.Plain;
        var layers = new List<nn.Module<Tensor, Tensor>> { BlockFactory.Create(spec, new ConvGeometry(architecture.InputChannels, architecture.StageWidths[0], architecture.KernelSize)), nn.ReLU() };
        var channels = architecture.StageWidths[0];
        using var positions = architecture.DownsamplingPositions().GetEnumerator();
        for (var stage = 0; stage < architecture.StageWidths.Count; stage++)
        {
            for (var block = 0; block < architecture.StageDepths[stage]; block++)
            {
                var stride = block == 0 ? architecture.StageStrides[stage] : 1;
                layers.Add(new ResidualBlock(channels, architecture.StageWidths[stage], stride, positions.MoveNext() && positions.Current ? downsampling : null, spec, architecture.KernelSize));
                channels = architecture.StageWidths[stage];
            }
        }

        layers.Add(nn.AdaptiveAvgPool2d(1));
        layers.Add(nn.Flatten());
        layers.Add(nn.Linear(channels, architecture.Classes));
        _layers = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => _layers.forward(input);

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input) => folder.Fold(_layers, input);

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
