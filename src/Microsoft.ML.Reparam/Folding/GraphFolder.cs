using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Plain;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Folding;

/// <summary>
/// The folding walker (after timm's <c>reparameterize_model</c>): every module answers for itself. A block
/// (<see cref="IReparamBlock"/>) becomes one convolution from its equivalent kernel and bias; an
/// <see cref="IFoldable"/> emits its sub-graph and folds its children back through the walker; standard layers map to
/// their plain operation. The walker knows no block or composite, so any topology folds.
/// </summary>
internal sealed class GraphFolder
{
    private GraphFolder(PlainShape inputShape) => Builder = new GraphBuilder(inputShape);

    internal GraphBuilder Builder { get; }

    /// <summary>Folds <paramref name="network"/> (switched to eval mode: folding uses batch-norm running statistics).</summary>
    /// <param name="network">The trained network.</param>
    /// <param name="inputShape">The image shape it takes (channels, height, width).</param>
    /// <param name="normalization">The input normalisation the network was trained with, put at the head of the graph, or null.</param>
    /// <returns>The plain graph; its one output is the network's output.</returns>
    public static PlainGraph Fold(nn.Module<Tensor, Tensor> network, PlainShape inputShape, PlainNormalize? normalization = null)
    {
        var (folder, output) = Start(network, inputShape, normalization);
        return folder.Builder.Build(output);
    }

    /// <summary>Folds <paramref name="network"/> and appends a head of plain operations (a task's softmax or arg-max).</summary>
    internal static PlainGraph Fold(nn.Module<Tensor, Tensor> network, PlainShape inputShape, PlainNormalize? normalization, Func<GraphBuilder, PlainValue, PlainValue[]> head)
    {
        var (folder, output) = Start(network, inputShape, normalization);
        return folder.Builder.Build(head(folder.Builder, output));
    }

    /// <summary>Folds one module applied to <paramref name="input"/>; composites call it for their children.</summary>
    internal PlainValue Fold(nn.Module<Tensor, Tensor> module, PlainValue input)
    {
        switch (module)
        {
            case IReparamBlock block:
                var (kernel, bias) = block.GetEquivalentKernelAndBias();
                var g = block.Geometry;
                return Builder.Add(new PlainConv(ToArray(kernel), ToArray(bias), g.OutChannels, g.InChannelsPerGroup, g.KernelSize, g.Stride, g.Padding, g.Groups), input);
            case Conv2d conv:
                return Builder.Add(PlainForm(conv), input);
            case IFoldable foldable:
                return foldable.Fold(this, input);
            case Sequential sequential:
                return sequential.children().Cast<nn.Module<Tensor, Tensor>>().Aggregate(input, (value, child) => Fold(child, value));
            case ReLU:
                return Builder.Add(new PlainRelu(), input);
            case PReLU prelu:
                return Builder.Add(new PlainPrelu(ToArray(prelu.weight!)), input);
            case LeakyReLU leaky:
                return Builder.Add(new PlainLeakyRelu((float)leaky.negative_slope), input);
            case Hardtanh hardtanh:
                // TorchSharp 0.107's out-of-place Tensor.hardtanh discards the clamped result and returns its input, so
                // Hardtanh(inplace: false) computes the identity; folding it to a clip would not match the network.
                return hardtanh.inplace
                    ? Builder.Add(new PlainClip((float)hardtanh.min_val, (float)hardtanh.max_val), input)
                    : throw new NotSupportedException($"Hardtanh({hardtanh.min_val}, {hardtanh.max_val}) with inplace: false does not clamp in TorchSharp (its out-of-place hardtanh returns the input unchanged), so it has no faithful plain form; use Hardtanh(inplace: true).");
            case PixelShuffle shuffle:
                return Builder.Add(new PlainDepthToSpace((int)shuffle.upscale_factor), input);
            case AvgPool2d pool:
                var (poolKernel, poolStride, poolPadding) = (pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? [0]);
                if (poolKernel.Distinct().Count() != 1 || poolStride.Distinct().Count() != 1 || poolPadding.Any(p => p != 0) || pool.ceil_mode || pool.divisor_override is not null)
                {
                    throw new NotSupportedException($"Only square average pools without padding fold (got kernel {string.Join("x", poolKernel)}, stride {string.Join("x", poolStride)}, padding {string.Join("x", poolPadding)}, ceil_mode {pool.ceil_mode}, divisor_override {pool.divisor_override?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}).");
                }

                return Builder.Add(new PlainPool(PlainPoolKind.Average, (int)poolKernel[0], (int)poolStride[0]), input);
            case MaxPool2d pool:
                return Builder.Add(new PlainPool(PlainPoolKind.Max, (int)pool.kernel_size[0], (int)(pool.stride?[0] ?? pool.kernel_size[0])), input);
            case AdaptiveAvgPool2d pool when pool.output_size.All(size => size == 1):
                return Builder.Add(new PlainGlobalAveragePool(), input);
            case Flatten when input.Shape.IsVector:
                return input;
            case Linear linear:
                var weight = linear.weight!;
                return Builder.Add(new PlainLinear(ToArray(weight), linear.bias is null ? new float[weight.shape[0]] : ToArray(linear.bias), (int)weight.shape[0], (int)weight.shape[1]), input);
            default:
                throw new NotSupportedException($"Layer '{module.GetType().Name}' has no plain form: implement {nameof(IReparamBlock)} or {nameof(IFoldable)}.");
        }
    }

    private static PlainConv PlainForm(Conv2d conv)
    {
        var weight = conv.weight!;
        var (kernel, stride, padding, dilation) = (conv.kernel_size, conv.stride, conv.padding ?? [0, 0], conv.dilation);
        if (kernel[0] != kernel[1] || stride[0] != stride[1] || padding[0] != padding[1] || dilation[0] != dilation[1] || conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"Only square, symmetric zero-padded convolutions fold (got kernel {kernel[0]}x{kernel[1]}, stride {stride[0]}x{stride[1]}, padding {padding[0]}x{padding[1]}).");
        }

        var outChannels = (int)weight.shape[0];
        return new PlainConv(ToArray(weight), conv.bias is null ? new float[outChannels] : ToArray(conv.bias), outChannels, (int)weight.shape[1], (int)kernel[0], (int)stride[0], (int)padding[0], (int)conv.groups, (int)dilation[0]);
    }

    internal static float[] ToArray(Tensor tensor) => tensor.detach().cpu().to(float32).contiguous().data<float>().ToArray();

    private static (GraphFolder Folder, PlainValue Output) Start(nn.Module<Tensor, Tensor> network, PlainShape inputShape, PlainNormalize? normalization)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var folder = new GraphFolder(inputShape);
        var input = normalization is null ? folder.Builder.Input : folder.Builder.Add(normalization, folder.Builder.Input);
        return (folder, folder.Fold(network, input));
    }
}
