// The consumption half of the model, shaped like Model Builder's generated code: copy this file and SegmenterModel.zip
// into an app that references Microsoft.ML, Microsoft.ML.ImageAnalytics, Microsoft.ML.OnnxTransformer and
// Microsoft.ML.OnnxRuntime (no Microsoft.ML.Reparam, no TorchSharp), then call SegmenterModel.Predict.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace SegmenterModelSample;

public partial class SegmenterModel
{
    /// <summary>The saved chain's image size: images are resized to it, and the mask has it.</summary>
    public const int Size = 64;

    /// <summary>Where the saved model is read from: next to the app.</summary>
    public static string MLNetModelPath = Path.GetFullPath("SegmenterModel.zip");

    /// <summary>One prediction engine, created on first use (PredictionEngine is not thread-safe: see the WebService sample for a pool).</summary>
    public static readonly Lazy<PredictionEngine<ModelInput, ModelOutput>> PredictEngine = new(CreatePredictEngine, true);

    /// <summary>Model input.</summary>
    public class ModelInput
    {
        [ColumnName(@"ImagePath")]
        public string ImagePath { get; set; } = string.Empty;
    }

    /// <summary>Model output: the class key of every pixel, row-major (key k is class k − 1).</summary>
    public class ModelOutput
    {
        [ColumnName(@"PredictedMask")]
        public uint[] PredictedMask { get; set; } = [];
    }

    /// <summary>Segments the image file <see cref="ModelInput.ImagePath"/>.</summary>
    public static ModelOutput Predict(ModelInput input) => PredictEngine.Value.Predict(input);

    private static PredictionEngine<ModelInput, ModelOutput> CreatePredictEngine()
    {
        var mlContext = new MLContext();
        var mlModel = mlContext.Model.Load(MLNetModelPath, out _);
        return mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(mlModel);
    }
}
