using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>What <see cref="PlainPool"/> takes from each window.</summary>
public enum PlainPoolKind
{
    /// <summary>The largest value (ONNX MaxPool).</summary>
    Max,

    /// <summary>The mean (ONNX AveragePool). Every window lies inside the map, so PyTorch's count_include_pad makes no difference.</summary>
    Average,
}

/// <summary>Max or average pooling over square windows without padding (the output size rounds down).</summary>
/// <param name="Kind">Max or average.</param>
/// <param name="KernelSize">Window size.</param>
/// <param name="Stride">Stride.</param>
public sealed record PlainPool(PlainPoolKind Kind, int KernelSize, int Stride) : PlainOp
{
    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        if (KernelSize < 1 || Stride < 1)
        {
            throw new ArgumentException($"{nameof(PlainPool)} needs a positive kernel size and stride; got {KernelSize} and {Stride}.");
        }

        var input = RequireMap(inputs[0]);
        return input with { Height = Size(input.Height), Width = Size(input.Width) };
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => Kind == PlainPoolKind.Max
        ? nn.functional.max_pool2d(inputs[0], [KernelSize, KernelSize], [Stride, Stride])
        : nn.functional.avg_pool2d(inputs[0], [KernelSize, KernelSize], [Stride, Stride]);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) =>
        onnx.Node(Kind == PlainPoolKind.Max ? "MaxPool" : "AveragePool", [inputs[0]], Ints("kernel_shape", KernelSize, KernelSize), Ints("strides", Stride, Stride));

    private int Size(int input) => input >= KernelSize
        ? ((input - KernelSize) / Stride) + 1
        : throw new ArgumentException($"{nameof(PlainPool)}: a {KernelSize}x{KernelSize} {Kind.ToString().ToLowerInvariant()} pool cannot run on a side of {input} pixels.");
}
