using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>The average over all spatial positions, giving a feature vector [N, C] at any input size.</summary>
public sealed record PlainGlobalAveragePool : PlainOp
{
    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) => PlainShape.Vector(RequireMap(inputs[0]).Channels);

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => inputs[0].mean([2, 3]);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) =>
        onnx.Node("Flatten", [onnx.Node("GlobalAveragePool", [inputs[0]])], Int("axis", 1));
}
