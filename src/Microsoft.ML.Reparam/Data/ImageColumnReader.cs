using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Reads an image column and a task's targets into an <see cref="ImageTensorDataset"/> through stock ML.NET
/// preprocessing (resize, pixel extraction scaled to [0, 1], grayscale by <see cref="GrayscaleModel"/>) — the same transforms the deployed model
/// carries — checking the input first and naming the column and row of any problem. The pixels are written once,
/// into one array sized from the row count.
/// </summary>
internal static class ImageColumnReader
{
    public const string PixelColumnName = "ReparamPixels";
    private const string EnlargedColumnName = "ReparamEnlargedImage";
    private const string ResizedColumnName = "ReparamResizedImage";

    public static ImageInput Read(MLContext mlContext, IDataView data, ReparamTrainerOptions options, ITargetReader targets)
    {
        var imageColumn = InputSchemaCheck.ImageColumn(data.Schema, options);
        targets.Columns(data.Schema);
        var sizes = InputSchemaCheck.ImageSizes(data, imageColumn, options);
        var preprocessing = CreatePreprocessing(mlContext, imageColumn.Name, options, sizes).Fit(data);
        if (imageColumn.Type is not ImageDataViewType)
        {
            var dataset = ReadRows(preprocessing.Transform(data), options, targets, sizes.Height, sizes.Width);
            return new ImageInput(dataset, preprocessing, preprocessing, null, PixelColumnName);
        }

        var copies = CallerImageCopies.With(data, imageColumn.Name);
        var copyColumn = CallerImageCopies.CopyColumnName(imageColumn.Name);
        var inProcess = CreatePreprocessing(mlContext, copyColumn, options, sizes).Fit(copies);
        return new ImageInput(ReadRows(inProcess.Transform(copies), options, targets, sizes.Height, sizes.Width), preprocessing, inProcess, copyColumn, PixelColumnName);
    }

    internal static IEstimator<ITransformer> CreatePreprocessing(MLContext mlContext, string imageColumn, ReparamTrainerOptions options, ImageSizes sizes)
    {
        if (sizes.UpscaleFactor == 0)
        {
            return mlContext.Transforms.CopyColumns(PixelColumnName, imageColumn);
        }

        // Two resizes (docs/training.md, "Reading images"): nearest neighbour up by a power of two k, then ML.NET's
        // filtered resize down to the model's size. An image of the model's size comes back bit for bit (tested); k is
        // chosen so that every training image is enlarged by the first step, which keeps the nearest step from dropping
        // pixels and makes the filtered step an area average. A single resize would pass an image of the model's size
        // through and dispose it on the next row (dotnet/machinelearning#7444): the saved chain reads the caller's
        // images, so its first resize must not have their size.
        var (width, height, k) = (sizes.Width, sizes.Height, sizes.UpscaleFactor);
        IEnumerable<string> temporary = [EnlargedColumnName, ResizedColumnName];
        IEstimator<ITransformer> chain = mlContext.Transforms.ResizeImages(EnlargedColumnName, k * width, k * height, imageColumn, ImageResizingEstimator.ResizingKind.Fill)
            .Append(mlContext.Transforms.ResizeImages(ResizedColumnName, width, height, EnlargedColumnName));
        var pixels = mlContext.Transforms.ExtractPixels(options.ColorChannels == 1 ? GrayscaleModel.RgbColumnName : PixelColumnName, ResizedColumnName, ImagePixelExtractingEstimator.ColorBits.Rgb, scaleImage: 1f / 255);
        chain = chain.Append(pixels);
        if (options.ColorChannels == 1)
        {
            chain = chain.Append(mlContext.Transforms.ApplyOnnxModel([PixelColumnName], [GrayscaleModel.RgbColumnName], GrayscaleModel.FileFor(height, width)));
            temporary = temporary.Append(GrayscaleModel.RgbColumnName);
        }

        return chain.Append(mlContext.Transforms.DropColumns([.. temporary]));
    }

    /// <summary>Reads the preprocessed pixel vectors and the targets, checking each row.</summary>
    public static ImageTensorDataset ReadRows(IDataView pixels, ReparamTrainerOptions options, ITargetReader targets, int height, int width)
    {
        var pixelColumn = pixels.Schema[PixelColumnName];
        var imageSize = options.ColorChannels * height * width;
        var count = pixels.GetRowCount() ?? CountRows(pixels);
        if (count == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(pixels));
        }

        var values = new float[count * imageSize];
        using var cursor = pixels.GetRowCursor([pixelColumn, .. targets.Columns(pixels.Schema)]);
        var getPixels = cursor.GetGetter<VBuffer<float>>(pixelColumn);
        var readTarget = targets.Bind(cursor, height, width);
        VBuffer<float> buffer = default;
        var row = 0;
        while (cursor.MoveNext())
        {
            getPixels(ref buffer);
            readTarget(row);
            if (buffer.Length != imageSize)
            {
                throw new ArgumentException($"Image column '{options.ImageColumnName}': row {row} gives {buffer.Length} pixel values, expected {options.ColorChannels}x{height}x{width} = {imageSize}.", nameof(pixels));
            }

            var image = values.AsSpan((int)(row * (long)imageSize), imageSize);
            buffer.CopyTo(image);
            var bad = image.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            if (bad >= 0)
            {
                throw new ArgumentException($"Image column '{options.ImageColumnName}': row {row} has a non-finite pixel value ({image[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}) at position {bad}.", nameof(pixels));
            }

            row++;
        }

        return new ImageTensorDataset(values, targets.Build(row), options.ColorChannels, height, width);
    }

    private static long CountRows(IDataView data)
    {
        using var cursor = data.GetRowCursor([]);
        long rows = 0;
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }
}
