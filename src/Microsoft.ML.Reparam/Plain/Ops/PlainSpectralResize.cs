using Microsoft.ML.Reparam.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// A fixed separable linear resize Y = Rows·X·Columnsᵀ on every channel: the deployed form of spectral downsampling
/// (docs/diffstride.md, D4). The matrices are derived from the learned strides for one input size, so the operation
/// fixes the graph's size; they count as stored values. ONNX: two MatMuls, no DFT.
/// </summary>
/// <param name="Rows">Row matrix, row-major [OutHeight, InHeight].</param>
/// <param name="Columns">Column matrix, row-major [OutWidth, InWidth].</param>
/// <param name="OutHeight">Output height.</param>
/// <param name="InHeight">Input height.</param>
/// <param name="OutWidth">Output width.</param>
/// <param name="InWidth">Input width.</param>
public sealed record PlainSpectralResize(float[] Rows, float[] Columns, int OutHeight, int InHeight, int OutWidth, int InWidth) : PlainOp
{
    /// <inheritdoc />
    public override long ParameterCount => Rows.LongLength + Columns.LongLength;

    /// <inheritdoc />
    public override bool FixesSize => true;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        var input = RequireMap(inputs[0]);
        return (input.Height, input.Width) == (InHeight, InWidth)
            ? input with { Height = OutHeight, Width = OutWidth }
            : throw new ArgumentException($"{nameof(PlainSpectralResize)} was derived for {InHeight}x{InWidth} maps; got {input}.");
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) =>
        weights.Of(Rows, OutHeight, InHeight).matmul(inputs[0]).matmul(weights.Of(Columns, OutWidth, InWidth).t());

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node(
        "MatMul",
        [onnx.Node("MatMul", [onnx.Constant("resize_rows", Rows, OutHeight, InHeight), inputs[0]]), onnx.Constant("resize_cols_t", TransposedColumns.GetValue(Columns, columns => Transpose(columns, OutWidth, InWidth)), InWidth, OutWidth)]);

    /// <summary>Bᵀ per B, so that an operation emitted twice (a layer shared by two paths) writes its matrices once.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<float[], float[]> TransposedColumns = new();

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
