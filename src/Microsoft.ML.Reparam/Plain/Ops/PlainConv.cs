using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>A convolution with bias and a square kernel.</summary>
/// <param name="Weight">Kernel, row-major [out, in/groups, K, K].</param>
/// <param name="Bias">Bias, [out].</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="InChannelsPerGroup">Input channels per group.</param>
/// <param name="KernelSize">Square kernel size K.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on each side.</param>
/// <param name="Groups">Groups.</param>
/// <param name="Dilation">Dilation.</param>
public sealed record PlainConv(float[] Weight, float[] Bias, int OutChannels, int InChannelsPerGroup, int KernelSize, int Stride = 1, int Padding = 0, int Groups = 1, int Dilation = 1) : PlainOp
{
    /// <inheritdoc />
    public override long ParameterCount => Weight.LongLength + Bias.LongLength;

    internal override int? Reach => Stride == 1 && 2 * Padding == Dilation * (KernelSize - 1) ? Padding : null;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        var input = RequireMap(inputs[0], InChannelsPerGroup * Groups);
        return new PlainShape(OutChannels, Size(input.Height), Size(input.Width));
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) =>
        nn.functional.conv2d(inputs[0], weights.Of(Weight, OutChannels, InChannelsPerGroup, KernelSize, KernelSize), weights.Of(Bias, OutChannels), strides: [Stride, Stride], padding: [Padding, Padding], dilation: [Dilation, Dilation], groups: Groups);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node(
        "Conv",
        [inputs[0], onnx.Constant("conv_w", Weight, OutChannels, InChannelsPerGroup, KernelSize, KernelSize), onnx.Constant("conv_b", Bias, OutChannels)],
        Ints("kernel_shape", KernelSize, KernelSize),
        Ints("strides", Stride, Stride),
        Ints("pads", Padding, Padding, Padding, Padding),
        Ints("dilations", Dilation, Dilation),
        Int("group", Groups));

    private int Size(int input)
    {
        var size = ((input + (2 * Padding) - (Dilation * (KernelSize - 1)) - 1) / Stride) + 1;
        return size >= 1 ? size : throw new ArgumentException($"A {KernelSize}x{KernelSize} convolution (stride {Stride}, padding {Padding}, dilation {Dilation}) cannot run on a side of {input} pixels.");
    }
}
