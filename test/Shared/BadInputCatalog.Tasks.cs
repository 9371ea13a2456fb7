namespace Microsoft.ML.Reparam.Robustness;

/// <summary>Bad inputs of the segmentation and restoration tasks.</summary>
internal static partial class BadInputCatalog
{
    private static IEnumerable<BadInputCase> Segmentation()
    {
        yield return Case<ArgumentException>("segmentation", "mask value that is not a class", "Mask column 'Mask': row 3 has the value 7", _ => FitSegmenter(Masks(6, (row, y, x) => (byte)(row == 3 && y == 5 ? 7 : x % 2)), o => o.ClassNames = ["a", "b", "c"]));
        yield return Case<ArgumentException>("segmentation", "mask smaller than its image", "Mask column 'Mask': row 0 is 8x8 but its image is 16x16", _ => FitSegmenter(Masks(6, (_, _, x) => (byte)(x % 2), maskSize: 8)));
        yield return Case<ArgumentException>("segmentation", "masks of one class", "fewer than two classes", _ => FitSegmenter(Masks(6, (_, _, _) => 1)));
        yield return Case<ArgumentException>("segmentation", "missing mask column", "Mask column 'Segments' was not found", _ => FitSegmenter(Masks(6, (_, _, x) => (byte)(x % 2)), o => o.MaskColumnName = "Segments"));
        yield return Case<ArgumentException>("segmentation", "class weights of another length", "ClassWeights", _ => FitSegmenter(Masks(6, (_, _, x) => (byte)(x % 2)), o => o.ClassWeights = [1f, 2f, 3f]));
        yield return Case<ArgumentException>("segmentation", "no rows", "The training data has no rows", _ => FitSegmenter(Masks(0, (_, _, _) => 0)));
    }

    private static IEnumerable<BadInputCase> Restoration()
    {
        yield return Case<ArgumentOutOfRangeException>("super-resolution", "scale 5", "2, 3 or 4", _ => _mlContext.Transforms.ReparamSuperResolution(scale: 5));
        yield return Case<ArgumentOutOfRangeException>("super-resolution", "patch of 2 pixels", "PatchSize", _ => _mlContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { PatchSize = 2 }));
        yield return Case<ArgumentOutOfRangeException>("super-resolution", "gray channel count", "ColorChannels", _ => _mlContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { ColorChannels = 1 }));
        yield return Case<ArgumentException>("super-resolution", "image smaller than a patch", "row 1 is 20x40", _ => FitRestorer(Photos((40, 40), (20, 40)), new ReparamSuperResolutionOptions { PatchSize = 16, Epochs = 1 }));
        yield return Case<ArgumentException>("super-resolution", "image above MaxImagePixels", "row 0 is 64x64 = 4096 pixels, more than MaxImagePixels 4000", _ => FitRestorer(Photos((64, 64), (40, 40)), new ReparamSuperResolutionOptions { PatchSize = 16, Epochs = 1, MaxImagePixels = 4000 }));
        yield return Case<ArgumentException>("super-resolution", "row without an image", "row 1 has no image", _ => FitRestorer(Photos((40, 40), (0, 0)), new ReparamSuperResolutionOptions { PatchSize = 16, Epochs = 1 }));
        yield return Case<ArgumentOutOfRangeException>("denoising", "NaN noise level", "NoiseLevel", _ => _mlContext.Transforms.ReparamDenoising(noiseLevel: float.NaN));
        yield return Case<ArgumentOutOfRangeException>("denoising", "blind range below its lower end", "MaxNoiseLevel", _ => _mlContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { NoiseLevel = 25, MaxNoiseLevel = 10 }));
        yield return Case<ArgumentException>("denoising", "no rows", "no rows", _ => FitRestorer(Photos(), new ReparamDenoisingOptions { Epochs = 1 }));
        yield return Case<ArgumentException>("denoising", "image column of text", "Image column 'Image' has type", _ => _mlContext.Transforms.ReparamDenoising(epochs: 1).Fit(_mlContext.Data.LoadFromEnumerable([new TextImageColumnRow { Image = "a.png" }])));
    }
}
