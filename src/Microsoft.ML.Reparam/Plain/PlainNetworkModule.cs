using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Runs a <see cref="PlainNetwork"/> in TorchSharp (fold checks, latency baselines).</summary>
public sealed class PlainNetworkModule : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _layers;

    /// <summary>Initializes a new instance of the <see cref="PlainNetworkModule"/> class with the network's weights.</summary>
    /// <param name="network">The network.</param>
    public PlainNetworkModule(PlainNetwork network)
        : base(nameof(PlainNetworkModule))
    {
        ArgumentNullException.ThrowIfNull(network);
        _layers = nn.ModuleList(network.Layers.Select(CreateLayer).ToArray());
        RegisterComponents();
        eval();
    }

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

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _layers.Dispose();
        }

        base.Dispose(disposing);
    }

    private static void CopyInto(Parameter parameter, float[] values)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        parameter.copy_(tensor(values).reshape(parameter.shape));
    }

    private static nn.Module<Tensor, Tensor> CreateLayer(PlainLayer layer)
    {
        switch (layer)
        {
            case PlainConv c:
                var conv = nn.Conv2d(c.InChannelsPerGroup * c.Groups, c.OutChannels, c.KernelSize, stride: c.Stride, padding: c.Padding, groups: c.Groups, bias: true);
                CopyInto(conv.weight!, c.Weight);
                CopyInto(conv.bias!, c.Bias);

                return conv;
            case PlainRelu:
                return nn.ReLU();
            case PlainMaxPool p:
                return nn.MaxPool2d(p.KernelSize, p.Stride);
            case PlainGlobalAveragePool:
                return nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten());
            case PlainSpectralResize resize:
                return new SpectralResizeModule(resize);
            case PlainLinear l:
                var linear = nn.Linear(l.InFeatures, l.OutFeatures, hasBias: true);
                CopyInto(linear.weight!, l.Weight);
                CopyInto(linear.bias!, l.Bias);

                return linear;
            default:
                throw new NotSupportedException($"Plain layer '{layer.GetType().Name}' cannot run in TorchSharp.");
        }
    }
}
