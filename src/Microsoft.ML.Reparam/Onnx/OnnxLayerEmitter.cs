using Microsoft.ML.Reparam.Plain;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Emits the ONNX nodes of one plain layer; the one place to extend when a new <see cref="PlainLayer"/> kind appears.</summary>
internal static class OnnxLayerEmitter
{
    /// <summary>Appends <paramref name="layer"/> applied to the value <paramref name="input"/>; returns the output value's name.</summary>
    public static string Emit(OnnxGraphBuilder graph, PlainLayer layer, string input) => layer switch
    {
        PlainConv c => graph.Node(
            "Conv",
            [input, graph.Constant("conv_w", c.Weight, c.OutChannels, c.InChannelsPerGroup, c.KernelSize, c.KernelSize), graph.Constant("conv_b", c.Bias, c.OutChannels)],
            Ints("kernel_shape", c.KernelSize, c.KernelSize),
            Ints("strides", c.Stride, c.Stride),
            Ints("pads", c.Padding, c.Padding, c.Padding, c.Padding),
            Ints("dilations", 1, 1),
            Int("group", c.Groups)),
        PlainRelu => graph.Node("Relu", [input]),
        PlainMaxPool p => graph.Node("MaxPool", [input], Ints("kernel_shape", p.KernelSize, p.KernelSize), Ints("strides", p.Stride, p.Stride)),
        PlainSpectralResize r => graph.Node(
            "MatMul",
            [graph.Node("MatMul", [graph.Constant("resize_rows", r.Rows, r.OutHeight, r.InHeight), input]), graph.Constant("resize_cols_t", Transpose(r.Columns, r.OutWidth, r.InWidth), r.InWidth, r.OutWidth)]),
        PlainGlobalAveragePool => graph.Node("Flatten", [graph.Node("GlobalAveragePool", [input])], Int("axis", 1)),
        PlainLinear l => graph.Node(
            "Gemm",
            [input, graph.Constant("fc_w", l.Weight, l.OutFeatures, l.InFeatures), graph.Constant("fc_b", l.Bias, l.OutFeatures)],
            Int("transB", 1)),
        _ => throw new NotSupportedException($"Plain layer '{layer.GetType().Name}' has no ONNX form; add it to {nameof(OnnxLayerEmitter)}."),
    };

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var transposed = new float[matrix.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return transposed;
    }
}
