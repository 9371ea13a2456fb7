using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Softmax over the channel axis: class probabilities of a vector of logits, or of every pixel of a map.</summary>
public sealed record PlainSoftmax : PlainOp
{
    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) => inputs[0];

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => nn.functional.softmax(inputs[0], 1);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node("Softmax", [inputs[0]], Int("axis", 1));
}
