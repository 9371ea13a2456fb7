using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Reparam.Onnx.Proto;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// Which operations ONNX Runtime actually runs after its graph optimizations: the model is optimized as a session
/// would be (extended level, where the QDQ groups are fused; layout rewrites of the highest level do not change which
/// kernels are integer) and the optimized graph's node types are counted.
/// </summary>
internal static class IntegerKernels
{
    private static readonly HashSet<string> _integer = ["QLinearConv", "QGemm", "QLinearMatMul", "MatMulInteger", "ConvInteger", "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QLinearAveragePool", "QLinearConcat", "QLinearLeakyRelu", "QLinearSigmoid", "QLinearSoftmax", "MatMulIntegerToFloat", "DynamicQuantizeMatMul"];
    private static readonly HashSet<string> _conversions = ["QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"];

    /// <summary>Returns the node types of the optimized model with their counts, split into integer kernels, 8-bit conversions and the rest.</summary>
    public static OperatorCounts Count(byte[] model)
    {
        var folder = Directory.CreateTempSubdirectory("reparam-optimized-");
        try
        {
            var path = Path.Combine(folder.FullName, "optimized.onnx");
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED, OptimizedModelFilePath = path })
            using (new InferenceSession(model, options))
            {
            }

            var nodes = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Select(n => n.OpType).ToList();
            return new OperatorCounts(Histogram(nodes.Where(_integer.Contains)), Histogram(nodes.Where(_conversions.Contains)), Histogram(nodes.Where(n => !_integer.Contains(n) && !_conversions.Contains(n))));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IReadOnlyDictionary<string, int> Histogram(IEnumerable<string> types) =>
        types.GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
