using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// Reads a restorer's training images at their own size (without disposing them), degrades each whole image once
/// (super-resolution: bicubic downscale, rounded to 8 bits as the test protocol does), and cuts seeded random patch
/// pairs: the degraded patch is the network's input, the ground-truth patch (scale × larger) its target. Rows are
/// grouped by source image so that validation holds out whole images.
/// </summary>
internal static class RestorationPatches
{
    public static ImageInput Read(MLContext mlContext, IDataView data, ReparamRestorationOptions options, RestorationTask task)
    {
        var truths = ReadImages(data, options.ImageColumnName, "training data", options.MaxImagePixels);
        var (scale, patch) = (task.Scale, options.PatchSize);
        var (inputSize, targetSize) = (3 * patch * patch, 3 * patch * scale * patch * scale);
        var count = checked(truths.Count * options.PatchesPerImage);
        var bytes = (long)count * (inputSize + (scale > 1 ? targetSize : 0)) * sizeof(float);
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available / 2)
        {
            throw new ArgumentException($"{count} training patches ({truths.Count} images x {nameof(options.PatchesPerImage)} {options.PatchesPerImage}) would take {bytes / (1 << 20)} MiB, more than half of the {available / (1 << 20)} MiB available; lower {nameof(options.PatchesPerImage)} or {nameof(options.PatchSize)}.", nameof(data));
        }

        var inputs = new float[(long)count * inputSize];
        var targets = scale == 1 ? inputs : new float[(long)count * targetSize];
        var groups = new int[count];
        var random = new Random(options.Seed + 31);
        var row = 0;
        for (var i = 0; i < truths.Count; i++)
        {
            var truth = truths[i].CropToMultiple(scale);
            if (truth.Width < patch * scale || truth.Height < patch * scale)
            {
                throw new ArgumentException($"Image column '{options.ImageColumnName}': row {i} is {truths[i].Width}x{truths[i].Height}, smaller than one training patch of {patch * scale}x{patch * scale} ({nameof(options.PatchSize)} {patch}{(scale > 1 ? $" x scale {scale}" : string.Empty)}). Lower {nameof(options.PatchSize)} or leave the image out.", nameof(data));
            }

            var degraded = task.Degrade(truth);
            for (var p = 0; p < options.PatchesPerImage; p++, row++)
            {
                var (x, y) = (random.Next(degraded.Width - patch + 1), random.Next(degraded.Height - patch + 1));
                degraded.Crop(x, y, patch, patch).ToPlanar().CopyTo(inputs, (long)row * inputSize);
                if (scale > 1)
                {
                    truth.Crop(x * scale, y * scale, patch * scale, patch * scale).ToPlanar().CopyTo(targets, (long)row * targetSize);
                }

                groups[row] = i;
            }
        }

        var dataset = new ImageTensorDataset(inputs, new ImageTargets(targets, 3, patch * scale, patch * scale, scale), 3, patch, patch) { Groups = groups };
        var sizes = new ImageSizes(task.ScoringSize.Height, task.ScoringSize.Width, 2);
        var imageColumn = options.ImageColumnName;
        var preprocessing = ImageColumnReader.CreatePreprocessing(mlContext, imageColumn, options, sizes).Fit(data);
        var copies = CallerImageCopies.With(data, imageColumn);
        var copyColumn = CallerImageCopies.CopyColumnName(imageColumn);
        var inProcess = ImageColumnReader.CreatePreprocessing(mlContext, copyColumn, options, sizes).Fit(copies);
        return new ImageInput(dataset, preprocessing, inProcess, copyColumn, ImageColumnReader.PixelColumnName);
    }

    /// <summary>Reads every image of an image column as 8-bit RGB, naming the column and row of a missing one; <paramref name="what"/> names the data in errors.</summary>
    public static IReadOnlyList<RgbImage> ReadImages(IDataView data, string imageColumnName, string what, long maxPixels = ImageLimit.DefaultMaxPixels)
    {
        var column = data.Schema.GetColumnOrNull(imageColumnName)
            ?? throw new ArgumentException($"Image column '{imageColumnName}' was not found; the data has {string.Join(", ", data.Schema.Select(c => $"'{c.Name}'"))}.", nameof(data));
        if (column.Type is not ImageDataViewType)
        {
            throw new ArgumentException($"Image column '{imageColumnName}' has type {column.Type}; a restorer trains on an image column (MLImage, for example from LoadImages).", nameof(data));
        }

        var images = new List<RgbImage>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<MLImage>(column);
        MLImage image = null!;
        while (cursor.MoveNext())
        {
            ImageLimit.Read(getter, ref image, imageColumnName, images.Count);
            if (image is null)
            {
                throw new ArgumentException($"Image column '{imageColumnName}': row {images.Count} has no image.", nameof(data));
            }

            ImageLimit.Check(imageColumnName, images.Count, image.Width, image.Height, maxPixels);
            images.Add(RgbImage.From(image)); // read, never disposed: the caller owns its images
        }

        return images.Count > 0 ? images : throw new ArgumentException($"Image column '{imageColumnName}': the {what} has no rows.", nameof(data));
    }
}
