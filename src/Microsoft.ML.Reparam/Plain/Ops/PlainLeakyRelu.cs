using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Torch;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Element-wise x where x ≥ 0 and <see cref="NegativeSlope"/> · x below, with a fixed slope (PyTorch's LeakyReLU).</summary>
/// <param name="NegativeSlope">The slope for negative inputs.</param>
public sealed record PlainLeakyRelu(float NegativeSlope) : PlainOp
{
    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) => inputs[0];

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => inputs[0].LeakyRelu(NegativeSlope);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node("LeakyRelu", [inputs[0]], Float("alpha", NegativeSlope));
}
