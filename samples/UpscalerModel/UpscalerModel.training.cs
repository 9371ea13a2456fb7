// The training half of the model, shaped like Model Builder's generated code: the pipeline, and Train, which reads the
// image files of a folder, trains a x2 ECB upscaler on patches of them and saves the model.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Training;

namespace UpscalerModelSample;

public partial class UpscalerModel
{
    /// <summary>Trains on the images of <paramref name="imageFolder"/> and saves the chain image file → upscaled image as <paramref name="outputModelPath"/>.</summary>
    public static ReparamRestorationTransformer Train(string outputModelPath, string imageFolder, int epochs, IProgress<TrainingProgress>? progress = null)
    {
        var mlContext = new MLContext(seed: 1);
        var files = mlContext.Data.LoadFromEnumerable(Directory.GetFiles(imageFolder, "*.png").Order(StringComparer.Ordinal).Select(f => new ModelInput { ImagePath = Path.GetFullPath(f) }).ToList());
        var loadImages = mlContext.Transforms.LoadImages(outputColumnName: @"Image", imageFolder: null, inputColumnName: @"ImagePath").Fit(files);
        var upscaler = BuildPipeline(mlContext, epochs, progress).Fit(loadImages.Transform(files));
        mlContext.Model.Save(new TransformerChain<ITransformer>(loadImages, upscaler), files.Schema, outputModelPath);
        return upscaler;
    }

    /// <summary>The trainer: an ECBSR-M4C16 x2 upscaler of luma, folded into plain convolutions; the saved chain takes <see cref="InputSize"/>² images.</summary>
    public static IEstimator<ReparamRestorationTransformer> BuildPipeline(MLContext mlContext, int epochs, IProgress<TrainingProgress>? progress = null) =>
        mlContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions
        {
            ImageColumnName = @"Image",
            OutputColumnName = @"RestoredImage",
            Scale = Scale,
            ImageWidth = InputSize,
            ImageHeight = InputSize,
            Epochs = epochs,
            Progress = progress,
        });
}
