using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Feature maps of one height and width stacked along the channels (a U-Net skip connection).</summary>
public sealed record PlainConcat : PlainOp
{
    internal override int Arity => -1;

    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        if (inputs.Count < 2 || inputs.Any(i => i.IsVector || (i.Height, i.Width) != (inputs[0].Height, inputs[0].Width)))
        {
            throw new ArgumentException($"{nameof(PlainConcat)} takes two or more feature maps of one height and width; got {string.Join(", ", inputs)}.");
        }

        return inputs[0] with { Channels = inputs.Sum(i => i.Channels) };
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => cat([.. inputs], 1);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node("Concat", inputs, Int("axis", 1));
}
