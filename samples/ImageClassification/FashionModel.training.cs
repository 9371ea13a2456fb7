// The training half of the model, shaped like Model Builder's generated code: the pipeline, and Train, which reads an
// image folder laid out one sub-folder per class (ML.NET's usual image classification layout) and saves the model.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Training;

namespace ImageClassification;

public partial class FashionModel
{
    /// <summary>Trains on the image folder and saves the model as <paramref name="outputModelPath"/>.</summary>
    public static ReparamConvTransformer Train(string outputModelPath, string imageFolder, int epochs, IProgress<TrainingProgress>? progress = null)
    {
        var mlContext = new MLContext(seed: 1);
        var data = LoadImageFolder(mlContext, imageFolder);
        var model = RetrainPipeline(mlContext, data, epochs, progress);
        mlContext.Model.Save(model, data.Schema, outputModelPath);
        return (ReparamConvTransformer)model.ElementAt(2);
    }

    /// <summary>Fits the pipeline; returns the chain image loading → key mapping → folded classifier → class name.</summary>
    public static TransformerChain<ITransformer> RetrainPipeline(MLContext mlContext, IDataView trainData, int epochs, IProgress<TrainingProgress>? progress = null) =>
        BuildPipeline(mlContext, epochs, progress).Fit(trainData);

    /// <summary>The pipeline: load the image, map the class name to a key, train and fold the RepVGG network, map the predicted key back to the class name.</summary>
    public static IEstimator<TransformerChain<ITransformer>> BuildPipeline(MLContext mlContext, int epochs, IProgress<TrainingProgress>? progress = null) =>
        mlContext.Transforms.LoadImages(outputColumnName: @"Image", imageFolder: null, inputColumnName: @"ImagePath")
            .Append(mlContext.Transforms.Conversion.MapValueToKey(outputColumnName: @"Label", inputColumnName: @"Label"))
            .Append<ITransformer>(mlContext.MulticlassClassification.Trainers.ReparamConv(new ReparamConvTrainerOptions
            {
                ImageColumnName = @"Image",
                LabelColumnName = @"Label",
                ImageWidth = 28,
                ImageHeight = 28,
                BlockKind = BlockKind.RepVgg,
                Epochs = epochs,
                InputMean = [0.286f],
                InputStd = [0.353f],
                RandomCropPadding = 2,
                Progress = progress,
            }))
            .Append<ITransformer>(mlContext.Transforms.Conversion.MapKeyToValue(outputColumnName: @"PredictedLabel", inputColumnName: @"PredictedLabel"));

    /// <summary>Reads every image file under <paramref name="folder"/>/&lt;class&gt;/ as (ImagePath, Label = class folder name).</summary>
    public static IDataView LoadImageFolder(MLContext mlContext, string folder)
    {
        var extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".gif" };
        var rows = Directory.GetDirectories(folder).Order(StringComparer.Ordinal)
            .SelectMany(classFolder => Directory.GetFiles(classFolder).Order(StringComparer.Ordinal)
                .Where(file => extensions.Contains(Path.GetExtension(file)))
                .Select(file => new ModelInput { ImagePath = Path.GetFullPath(file), Label = Path.GetFileName(classFolder) }))
            .ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException($"'{folder}' has no images in class sub-folders (expected {folder}/<class>/<image>.png).", nameof(folder));
        }

        return mlContext.Data.LoadFromEnumerable(rows);
    }
}
