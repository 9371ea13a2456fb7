using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Torch;
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
                return Builder.Add(Conv(block), input);
            case IFoldable foldable:
                return foldable.Fold(this, input);
            case Sequential sequential:
                return sequential.children().Cast<nn.Module<Tensor, Tensor>>().Aggregate(input, (value, child) => Fold(child, value));
            case Flatten when input.Shape.IsVector:
                return input;
            default:
                return Builder.Add(StandardLayers.PlainForm(module), input);
        }
    }

    /// <summary>Returns the convolution a block folds to: its equivalent kernel and bias, times <paramref name="sign"/> (−1 folds a subtraction into it).</summary>
    internal static PlainConv Conv(IReparamBlock block, float sign = 1)
    {
        var (kernel, bias) = block.GetEquivalentKernelAndBias();
        var g = block.Geometry;
        return new PlainConv(ToArray(kernel.Times(sign)), ToArray(bias.Times(sign)), g.OutChannels, g.InChannelsPerGroup, g.KernelSize, g.Stride, g.Padding, g.Groups);
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
