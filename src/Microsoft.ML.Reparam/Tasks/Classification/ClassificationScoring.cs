using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam.Tasks.Classification;

/// <summary>
/// The deployed classifier as stock ML.NET transformers only: the fitted image preprocessing, ONNX Runtime scoring of
/// the folded network (logits), and ML.NET's multiclass scorer (softmax scores, predicted key). A saved model made
/// of these loads without this library or TorchSharp.
/// </summary>
internal static class ClassificationScoring
{
    public static TransformerChain<ITransformer> Create(IHostEnvironment environment, MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath, ReparamConvTrainerOptions options, int classes)
    {
        var pixels = preprocessing.Transform(data);
        var onnx = mlContext.Transforms.ApplyOnnxModel([ClassificationTask.LogitsColumnName], [ImageColumnReader.PixelColumnName], onnxPath).Fit(pixels);
        var logits = onnx.Transform(pixels);
        var head = StockMulticlassHead.Create(environment, logits.Schema, ClassificationTask.LogitsColumnName, options, classes);
        var drop = mlContext.Transforms.DropColumns(ImageColumnReader.PixelColumnName, ClassificationTask.LogitsColumnName).Fit(head.Transform(logits));
        return new TransformerChain<ITransformer>(preprocessing, onnx, head, drop);
    }
}
