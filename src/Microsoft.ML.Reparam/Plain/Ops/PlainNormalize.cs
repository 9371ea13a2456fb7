using Microsoft.ML.Reparam.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>The input normalisation (x − mean) / std per channel, so the deployed graph takes pixels scaled to [0, 1].</summary>
/// <param name="Mean">Per-channel mean.</param>
/// <param name="Std">Per-channel standard deviation (positive).</param>
public sealed record PlainNormalize(float[] Mean, float[] Std) : PlainOp
{
    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        var input = RequireMap(inputs[0], Mean.Length);
        if (Std.Length != Mean.Length)
        {
            throw new ArgumentException($"{nameof(PlainNormalize)} has {Mean.Length} means but {Std.Length} standard deviations.");
        }

        if (Mean.Any(m => !float.IsFinite(m)) || Std.Any(s => !float.IsFinite(s) || !(s > 0)))
        {
            throw new ArgumentException($"{nameof(PlainNormalize)} needs finite means and positive finite standard deviations; got mean [{string.Join(", ", Mean)}], std [{string.Join(", ", Std)}].");
        }

        return input;
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) =>
        (inputs[0] - weights.Of(Mean, 1, Mean.Length, 1, 1)) / weights.Of(Std, 1, Std.Length, 1, 1);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) =>
        onnx.Node("Div", [onnx.Node("Sub", [inputs[0], onnx.Constant("mean", Mean, 1, Mean.Length, 1, 1)]), onnx.Constant("std", Std, 1, Std.Length, 1, 1)]);
}
