using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// The deployed restorer as stock ML.NET transformers only: the fitted preprocessing (the declared input size, RGB in
/// [0, 1]), ONNX Runtime, whose model adds an opaque alpha plane to the clipped RGB output, and ML.NET's
/// <c>ConvertToImage</c>, which scales by 255 and rounds.
/// </summary>
internal static class RestorationScoring
{
    public static TransformerChain<ITransformer> Create(MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath, string outputColumn, int height, int width)
    {
        var pixels = preprocessing.Transform(data);
        var onnx = mlContext.Transforms.ApplyOnnxModel([RestorationTask.ArgbOutputName], [ImageColumnReader.PixelColumnName], onnxPath).Fit(pixels);
        var scored = onnx.Transform(pixels);
        var tail = mlContext.Transforms.ConvertToImage(height, width, outputColumn, RestorationTask.ArgbOutputName, ImagePixelExtractingEstimator.ColorBits.All, ImagePixelExtractingEstimator.ColorsOrder.ARGB, scaleImage: 255f)
            .Append(mlContext.Transforms.DropColumns(ImageColumnReader.PixelColumnName, RestorationTask.ArgbOutputName))
            .Fit(scored);
        return new TransformerChain<ITransformer>([preprocessing, onnx, .. tail]);
    }
}
