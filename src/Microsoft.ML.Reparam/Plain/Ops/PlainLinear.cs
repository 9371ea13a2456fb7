using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>A fully connected layer on a feature vector [N, in].</summary>
/// <param name="Weight">Weights, row-major [out, in].</param>
/// <param name="Bias">Bias, [out].</param>
/// <param name="OutFeatures">Output features.</param>
/// <param name="InFeatures">Input features.</param>
public sealed record PlainLinear(float[] Weight, float[] Bias, int OutFeatures, int InFeatures) : PlainOp
{
    /// <inheritdoc />
    public override long ParameterCount => Weight.LongLength + Bias.LongLength;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) =>
        inputs[0] == PlainShape.Vector(InFeatures)
            ? PlainShape.Vector(OutFeatures)
            : throw new ArgumentException($"{nameof(PlainLinear)} takes a feature vector of {InFeatures}; got {inputs[0]} (pool or flatten first).");

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) =>
        nn.functional.linear(inputs[0], weights.Of(Weight, OutFeatures, InFeatures), weights.Of(Bias, OutFeatures));

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node(
        "Gemm",
        [inputs[0], onnx.Constant("fc_w", Weight, OutFeatures, InFeatures), onnx.Constant("fc_b", Bias, OutFeatures)],
        Int("transB", 1));
}
