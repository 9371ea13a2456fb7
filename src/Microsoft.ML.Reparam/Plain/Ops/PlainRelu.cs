using Microsoft.ML.Reparam.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Element-wise max(x, 0).</summary>
public sealed record PlainRelu : PlainOp
{
    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) => inputs[0];

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => nn.functional.relu(inputs[0]);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node("Relu", [inputs[0]]);
}
