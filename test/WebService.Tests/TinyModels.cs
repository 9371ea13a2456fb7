using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>The fixture's models: the smallest options that still train, fold and save each kind in a second or two.</summary>
internal static class TinyModels
{
    /// <summary>A Model Builder-style chain: the text label mapped to a key, the predicted key mapped back to the class name.</summary>
    public static TransformerChain<KeyToValueMappingTransformer> Classifier(MLContext mlContext, IDataView fashion) =>
        mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.ReparamConv(new ReparamConvTrainerOptions
            {
                StageWidths = [8, 16],
                StageDepths = [1, 1],
                StageStrides = [2, 2],
                Epochs = 2,
                BatchSize = 16,
                ValidationFraction = 0,
                FoldCheckImages = 4,
                Seed = 1,
            }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"))
            .Fit(fashion);

    /// <summary>A ×2 upscaler whose saved chain takes 12×10 images (and answers 24×20).</summary>
    public static ReparamRestorationTransformer Upscaler(MLContext mlContext, IDataView fashion) =>
        mlContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions
        {
            Depth = 1,
            Width = 4,
            PatchSize = 8,
            PatchesPerImage = 4,
            Epochs = 1,
            BatchSize = 8,
            ImageWidth = 12,
            ImageHeight = 10,
            FoldCheckImages = 2,
            Seed = 1,
        }).Fit(fashion);

    /// <summary>A two-level U-Net on 32×32 scenes (11 classes: background and the ten garments).</summary>
    public static ReparamSegmentationTransformer Segmenter(MLContext mlContext, SegmentationImages scenes) =>
        mlContext.Transforms.ReparamSegmentation(new ReparamSegmentationOptions
        {
            StageWidths = [8, 16],
            Epochs = 2,
            BatchSize = 8,
            ValidationFraction = 0,
            FoldCheckImages = 2,
            ClassNames = [.. scenes.ClassNames!],
            Seed = 1,
        }).Fit(scenes.ToDataView(mlContext));

    /// <summary>A one-block gray denoiser whose saved chain takes 20×16 images (and answers 20×16).</summary>
    public static ReparamRestorationTransformer Denoiser(MLContext mlContext, IDataView fashion) =>
        mlContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions
        {
            Depth = 1,
            Width = 4,
            PatchSize = 8,
            PatchesPerImage = 2,
            Epochs = 1,
            BatchSize = 16,
            ImageWidth = 20,
            ImageHeight = 16,
            ValidationFraction = 0,
            FoldCheckImages = 2,
            Seed = 1,
        }).Fit(fashion);
}
