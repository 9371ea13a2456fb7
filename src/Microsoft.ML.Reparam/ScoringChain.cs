using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The deployed model as stock ML.NET transformers only: the fitted image preprocessing, ONNX Runtime scoring of
/// the folded network (logits), and ML.NET's multiclass scorer (softmax scores, predicted key). A saved model made
/// of these loads without this library or TorchSharp.
/// </summary>
internal static class ScoringChain
{
    public const string LogitsColumnName = "ReparamLogits";

    /// <summary>The ONNX model's second output, the softmax of the logits (read by the fold check, not by ML.NET).</summary>
    public const string ProbabilitiesColumnName = "ReparamProbabilities";

    public static TransformerChain<ITransformer> Create(IHostEnvironment environment, MLContext mlContext, IDataView data, ImageInput input, string onnxPath, ReparamConvTrainerOptions options)
    {
        var pixels = input.Preprocessing.Transform(data);
        var onnx = mlContext.Transforms.ApplyOnnxModel([LogitsColumnName], [input.PixelColumnName], onnxPath).Fit(pixels);
        var logits = onnx.Transform(pixels);
        var head = StockMulticlassHead.Create(environment, logits.Schema, LogitsColumnName, options, input.ClassNames.Count);
        var drop = mlContext.Transforms.DropColumns(input.PixelColumnName, LogitsColumnName).Fit(head.Transform(logits));
        return new TransformerChain<ITransformer>(input.Preprocessing, onnx, head, drop);
    }
}
