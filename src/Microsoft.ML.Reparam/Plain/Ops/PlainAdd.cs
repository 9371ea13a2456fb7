using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>The element-wise sum of two values of one shape (a residual connection).</summary>
public sealed record PlainAdd : PlainOp
{
    internal override int Arity => 2;

    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) =>
        inputs[0] == inputs[1] ? inputs[0] : throw new ArgumentException($"{nameof(PlainAdd)} takes two values of one shape; got {inputs[0]} and {inputs[1]}.");

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => inputs[0].Plus(inputs[1]);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node("Add", [inputs[0], inputs[1]]);
}
