// The training half of the model, shaped like Model Builder's generated code: the pipeline, and Train, which reads an
// images folder and a masks folder (same file names; mask pixel values are class ids) and saves the model.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Training;

namespace SegmenterModelSample;

public partial class SegmenterModel
{
    /// <summary>Trains on the image/mask pairs and saves the chain image file → mask as <paramref name="outputModelPath"/>.</summary>
    public static ReparamSegmentationTransformer Train(string outputModelPath, string imagesFolder, string masksFolder, IReadOnlyList<string> classNames, int epochs, IProgress<TrainingProgress>? progress = null)
    {
        var mlContext = new MLContext(seed: 1);
        var pairs = Directory.GetFiles(imagesFolder, "*.png").Order(StringComparer.Ordinal)
            .Select(image => new TrainingRow { ImagePath = Path.GetFullPath(image), MaskPath = Path.GetFullPath(Path.Combine(masksFolder, Path.GetFileName(image))) })
            .ToList();
        var data = mlContext.Data.LoadFromEnumerable(pairs);
        var loaded = mlContext.Transforms.LoadImages(@"Image", null, @"ImagePath").Append(mlContext.Transforms.LoadImages(@"Mask", null, @"MaskPath")).Fit(data).Transform(data);
        var segmenter = BuildPipeline(mlContext, classNames, epochs, progress).Fit(loaded);
        var files = mlContext.Data.LoadFromEnumerable(pairs.Select(p => new ModelInput { ImagePath = p.ImagePath }));
        var chain = new TransformerChain<ITransformer>(mlContext.Transforms.LoadImages(@"Image", null, @"ImagePath").Fit(files), segmenter);
        mlContext.Model.Save(chain, files.Schema, outputModelPath);
        return segmenter;
    }

    /// <summary>The trainer: a RepVGG U-Net, folded into plain convolutions; the saved chain takes <see cref="Size"/>² images.</summary>
    public static IEstimator<ReparamSegmentationTransformer> BuildPipeline(MLContext mlContext, IReadOnlyList<string> classNames, int epochs, IProgress<TrainingProgress>? progress = null) =>
        mlContext.Transforms.ReparamSegmentation(new ReparamSegmentationOptions
        {
            ImageColumnName = @"Image",
            MaskColumnName = @"Mask",
            ClassNames = [.. classNames],
            ImageWidth = Size,
            ImageHeight = Size,
            ColorChannels = 3,
            Epochs = epochs,
            Progress = progress,
        });

    private sealed class TrainingRow
    {
        public string ImagePath { get; set; } = string.Empty;

        public string MaskPath { get; set; } = string.Empty;
    }
}
