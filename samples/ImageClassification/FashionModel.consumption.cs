// The consumption half of the model, shaped like Model Builder's generated code: copy this file and FashionModel.zip
// into an app that references Microsoft.ML, Microsoft.ML.ImageAnalytics, Microsoft.ML.OnnxTransformer and
// Microsoft.ML.OnnxRuntime (no Microsoft.ML.Reparam, no TorchSharp), then call FashionModel.Predict.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ImageClassification;

public partial class FashionModel
{
    /// <summary>Where the saved model is read from: next to the app.</summary>
    public static string MLNetModelPath = Path.GetFullPath("FashionModel.zip");

    /// <summary>One prediction engine, created on first use (PredictionEngine is not thread-safe: see the WebService sample for a pool).</summary>
    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, true);

    /// <summary>Model input.</summary>
    public class ModelInput
    {
        [ColumnName(@"ImagePath")]
        public string ImagePath { get; set; } = string.Empty;

        [ColumnName(@"Label")]
        public string Label { get; set; } = string.Empty;
    }

    /// <summary>Model output.</summary>
    public class ModelOutput
    {
        [ColumnName(@"PredictedLabel")]
        public string PredictedLabel { get; set; } = string.Empty;

        [ColumnName(@"Score")]
        public float[] Score { get; set; } = [];
    }

    /// <summary>Predicts the class of the image file <see cref="ModelInput.ImagePath"/>.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        var mlModel = mlContext.Model.Load(MLNetModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(mlModel);
    }
}
