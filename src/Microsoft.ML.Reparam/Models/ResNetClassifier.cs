using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Downsampling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A small ResNet: a 3×3 conv+BN+ReLU stem with the first stage's width, then per stage <see cref="ClassifierArchitecture.StageDepths"/>
/// residual blocks (the first with the stage's stride), global average pooling and a linear head. Not foldable (see
/// <see cref="ResidualBlock"/>); evaluated in TorchSharp.
/// </summary>
public sealed class ResNetClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _layers;

    /// <summary>Initializes a new instance of the <see cref="ResNetClassifier"/> class.</summary>
    /// <param name="architecture">Input shape, classes, and the stages' widths, depths and strides.</param>
    /// <param name="downsampling">How the strided blocks downsample.</param>
    public ResNetClassifier(ClassifierArchitecture architecture, DownsamplingSpec? downsampling = null)
        : base(nameof(ResNetClassifier))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        var layers = new List<nn.Module<Tensor, Tensor>> { new ConvBn(new ConvGeometry(architecture.InputChannels, architecture.StageWidths[0])), nn.ReLU() };
        var channels = architecture.StageWidths[0];
        using var positions = architecture.DownsamplingPositions().GetEnumerator();
        for (var stage = 0; stage < architecture.StageWidths.Count; stage++)
        {
            for (var block = 0; block < architecture.StageDepths[stage]; block++)
            {
                layers.Add(new ResidualBlock(channels, architecture.StageWidths[stage], block == 0 ? architecture.StageStrides[stage] : 1, positions.MoveNext() && positions.Current ? downsampling : null));
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
