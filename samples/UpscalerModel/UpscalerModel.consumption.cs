// The consumption half of the model, shaped like Model Builder's generated code: copy this file and UpscalerModel.zip
// into an app that references Microsoft.ML, Microsoft.ML.ImageAnalytics, Microsoft.ML.OnnxTransformer and
// Microsoft.ML.OnnxRuntime (no Microsoft.ML.Reparam, no TorchSharp), then call UpscalerModel.Predict.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace UpscalerModelSample;

public partial class UpscalerModel
{
    /// <summary>The saved chain's input size: images are resized to it, and the output is <see cref="Scale"/> times larger.</summary>
    public const int InputSize = 128;

    public const int Scale = 2;

    /// <summary>Where the saved model is read from: next to the app.</summary>
    public static string MLNetModelPath = Path.GetFullPath("UpscalerModel.zip");

    /// <summary>One prediction engine, created on first use (PredictionEngine is not thread-safe: see the WebService sample for a pool).</summary>
    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, true);

    /// <summary>Model input.</summary>
    public class ModelInput
    {
        [ColumnName(@"ImagePath")]
        public string ImagePath { get; set; } = string.Empty;
    }

    /// <summary>Model output: the upscaled image (the caller disposes it).</summary>
    public class ModelOutput
    {
        [ColumnName(@"RestoredImage")]
        [ImageType(InputSize * Scale, InputSize * Scale)]
        public MLImage RestoredImage { get; set; } = null!;
    }

    /// <summary>Upscales the image file <see cref="ModelInput.ImagePath"/>.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        var mlModel = mlContext.Model.Load(MLNetModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(mlModel);
    }
}
