namespace Microsoft.ML.Reparam.Quantization;

/// <summary>The operations ONNX Runtime runs for a model after its graph optimizations, by type and count.</summary>
/// <param name="Integer">Integer kernels (QLinearConv, QGemm, QLinearAdd, …): the work done in 8-bit arithmetic.</param>
/// <param name="Conversions">QuantizeLinear / DequantizeLinear nodes left between float and 8-bit values.</param>
/// <param name="Float">Every other operation: arithmetic in float, or data movement (Flatten, Reshape) that ONNX Runtime may run on the 8-bit values.</param>
public sealed record OperatorCounts(IReadOnlyDictionary<string, int> Integer, IReadOnlyDictionary<string, int> Conversions, IReadOnlyDictionary<string, int> Float)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"integer {Describe(Integer)}; conversions {Describe(Conversions)}; float {Describe(Float)}";

    private static string Describe(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(pair => $"{pair.Key}×{pair.Value}"));
}
