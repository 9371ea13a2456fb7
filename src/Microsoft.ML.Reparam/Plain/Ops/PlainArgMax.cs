using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// The index of the largest channel (a class label per image, or per pixel of a segmentation map), keeping the channel
/// axis: [N, C] → [N, 1] and [N, C, H, W] → [N, 1, H, W]. Every value of a graph is float, so the index is returned as
/// a float (exact below 2²⁴ channels) rather than an integer. On a tie the first largest channel wins, in PyTorch and in
/// ONNX alike.
/// </summary>
public sealed record PlainArgMax : PlainOp
{
    internal override bool IsDiscrete => true;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) => inputs[0] with { Channels = 1 };

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => inputs[0].argmax(1, keepdim: true).to(float32);

    // ONNX ArgMax yields int64; the Cast keeps the graph's values float, as in Evaluate.
    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node(
        "Cast",
        [onnx.Node("ArgMax", [inputs[0]], Int("axis", 1), Int("keepdims", 1), Int("select_last_index", 0))],
        Int("to", (long)TensorProto.Types.DataType.Float));
}
