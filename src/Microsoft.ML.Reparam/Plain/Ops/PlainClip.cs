using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Element-wise min(max(x, <see cref="Min"/>), <see cref="Max"/>) (PyTorch's clamp, Hardtanh, ReLU6).</summary>
/// <param name="Min">The lower bound.</param>
/// <param name="Max">The upper bound, at least <paramref name="Min"/>.</param>
public sealed record PlainClip(float Min, float Max) : PlainOp
{
    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) =>
        Min <= Max ? inputs[0] : throw new ArgumentException($"{nameof(PlainClip)} needs Min ≤ Max; got {Min} and {Max}.");

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => inputs[0].Clamped(Min, Max);

    // Since opset 11 the bounds are optional inputs, not attributes: float scalars (rank 0) of the input's type.
    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) =>
        onnx.Node("Clip", [inputs[0], onnx.Constant("clip_min", [Min]), onnx.Constant("clip_max", [Max])]);
}
