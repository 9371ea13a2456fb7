using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Tasks.Segmentation;

/// <summary>
/// The deployed segmenter as stock ML.NET transformers only: the fitted image preprocessing; ONNX Runtime, whose
/// model names the class of every pixel ([H, W] strings, from the folded graph's arg-max); ML.NET's value-to-key
/// mapping with the class names as its key values, giving the key-typed mask; optionally the per-pixel probabilities.
/// </summary>
internal static class SegmentationScoring
{
    public static TransformerChain<ITransformer> Create(MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath, ReparamSegmentationOptions options, IReadOnlyList<string> classNames)
    {
        var pixels = preprocessing.Transform(data);
        string[] outputs = options.ScoreColumnName is null
            ? [SegmentationTask.ClassNamesColumnName]
            : [SegmentationTask.ClassNamesColumnName, SegmentationTask.ProbabilitiesColumnName];
        var onnx = mlContext.Transforms.ApplyOnnxModel(outputs, [ImageColumnReader.PixelColumnName], onnxPath).Fit(pixels);
        var scored = onnx.Transform(pixels);
        var keyData = mlContext.Data.LoadFromEnumerable(classNames.Select(name => new ClassName { Value = name }));
        IEstimator<ITransformer> tail = mlContext.Transforms.Conversion.MapValueToKey(options.PredictedMaskColumnName, SegmentationTask.ClassNamesColumnName, keyData: keyData);
        if (options.ScoreColumnName is { } score)
        {
            tail = tail.Append(mlContext.Transforms.CopyColumns(score, SegmentationTask.ProbabilitiesColumnName));
        }

        var drop = tail.Append(mlContext.Transforms.DropColumns([ImageColumnReader.PixelColumnName, .. outputs])).Fit(scored);
        return new TransformerChain<ITransformer>([preprocessing, onnx, .. drop]);
    }

    private sealed class ClassName
    {
        public string Value { get; set; } = string.Empty;
    }
}
