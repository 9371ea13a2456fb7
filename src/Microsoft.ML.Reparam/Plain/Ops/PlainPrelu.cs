using Microsoft.ML.Reparam.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// Element-wise x where x ≥ 0 and slope · x below, with a learned slope per channel, or one slope shared by every
/// channel when <see cref="Slope"/> has a single entry (PyTorch's PReLU). Per-channel slopes need a feature map whose
/// channels match them; a shared slope also applies to a feature vector.
/// </summary>
/// <param name="Slope">The negative-side slopes: one per channel, or a single shared one.</param>
public sealed record PlainPrelu(float[] Slope) : PlainOp
{
    /// <inheritdoc />
    public override long ParameterCount => Slope.LongLength;

    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        var input = inputs[0];
        return Slope.Length switch
        {
            0 => throw new ArgumentException($"{nameof(PlainPrelu)} needs at least one slope."),
            1 => input,
            _ when !input.IsVector && input.Channels == Slope.Length => input,
            _ => throw new ArgumentException($"{nameof(PlainPrelu)} with {Slope.Length} per-channel slopes takes a feature map with {Slope.Length} channels; got {input}."),
        };
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) =>
        nn.functional.prelu(inputs[0], weights.Of(Slope, Slope.Length));

    // ONNX PRelu broadcasts the slope from the right (numpy style), not along axis 1 as PyTorch does: per-channel
    // slopes become [C, 1, 1] against [N, C, H, W]; a shared slope is [1], which broadcasts against a map or a vector
    // without changing the rank (a [1, 1, 1] slope would turn an [N, C] vector into [1, N, C]).
    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) =>
        onnx.Node("PRelu", [inputs[0], Slope.Length == 1 ? onnx.Constant("prelu_slope", Slope, 1) : onnx.Constant("prelu_slope", Slope, Slope.Length, 1, 1)]);
}
