using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Plain;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Folding;

/// <summary>Turns a trained <see cref="ISequentialNetwork"/> into its deployed <see cref="PlainNetwork"/>.</summary>
public static class NetworkFolder
{
    /// <summary>
    /// Folds every layer: blocks become one convolution each (their equivalent kernel and bias), standard
    /// layers are copied, <see cref="IPlainLayerSource"/> layers supply their own form. The network is
    /// switched to eval mode first, since folding uses batch-norm running statistics.
    /// </summary>
    /// <param name="network">The trained network; it must also be an <see cref="nn.Module"/>.</param>
    /// <returns>The plain network.</returns>
    public static PlainNetwork Fold(ISequentialNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (network is nn.Module module)
        {
            module.eval();
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shape = network.InputShape;
        var layers = new List<PlainLayer>();
        var (channels, height, width) = shape;
        foreach (var layer in network.Layers)
        {
            foreach (var plain in FoldLayer(layer, (channels, height, width)))
            {
                layers.Add(plain);
                (channels, height, width) = OutputShape(plain, (channels, height, width));
            }
        }

        return new PlainNetwork(shape.Channels, shape.Height, shape.Width, layers);
    }

    private static IEnumerable<PlainLayer> FoldLayer(nn.Module<Tensor, Tensor> layer, (int Channels, int Height, int Width) inputShape)
    {
        switch (layer)
        {
            case IReparamBlock block:
                var (kernel, bias) = block.GetEquivalentKernelAndBias();
                var g = block.Geometry;
                return [new PlainConv(ToArray(kernel), ToArray(bias), g.OutChannels, g.InChannelsPerGroup, g.KernelSize, g.Stride, g.Padding, g.Groups)];
            case IPlainLayerSource source:
                return source.ToPlainLayers(inputShape);
            case ReLU:
                return [new PlainRelu()];
            case MaxPool2d pool:
                return [new PlainMaxPool((int)pool.kernel_size[0], (int)(pool.stride?[0] ?? pool.kernel_size[0]))];
            case AdaptiveAvgPool2d:
                return [new PlainGlobalAveragePool()];
            case Flatten:
                return [];
            case Linear linear:
                return [new PlainLinear(ToArray(linear.weight!), linear.bias is null ? new float[linear.weight!.shape[0]] : ToArray(linear.bias), (int)linear.weight!.shape[0], (int)linear.weight.shape[1])];
            default:
                throw new NotSupportedException($"Layer '{layer.GetType().Name}' has no plain form: implement {nameof(IReparamBlock)} or {nameof(IPlainLayerSource)}.");
        }
    }

    private static (int Channels, int Height, int Width) OutputShape(PlainLayer layer, (int Channels, int Height, int Width) input) => layer switch
    {
        PlainConv c => (c.OutChannels, ((input.Height + (2 * c.Padding) - c.KernelSize) / c.Stride) + 1, ((input.Width + (2 * c.Padding) - c.KernelSize) / c.Stride) + 1),
        PlainMaxPool p => (input.Channels, ((input.Height - p.KernelSize) / p.Stride) + 1, ((input.Width - p.KernelSize) / p.Stride) + 1),
        PlainSpectralResize r => (input.Channels, r.OutHeight, r.OutWidth),
        PlainGlobalAveragePool => (input.Channels, 1, 1),
        PlainLinear l => (l.OutFeatures, 1, 1),
        _ => input,
    };

    private static float[] ToArray(Tensor tensor) => tensor.detach().cpu().to(float32).contiguous().data<float>().ToArray();
}
