using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Reads an image column and a task's targets into an <see cref="ImageTensorDataset"/> through stock ML.NET
/// preprocessing (resize, grayscale, pixel extraction scaled to [0, 1]) — the same transforms the deployed model
/// carries — checking the input first and naming the column and row of any problem. The pixels are written once,
/// into one array sized from the row count.
/// </summary>
internal static class ImageColumnReader
{
    public const string PixelColumnName = "ReparamPixels";
    private const string DoubledColumnName = "ReparamDoubledImage";
    private const string ResizedColumnName = "ReparamResizedImage";
    private const string GrayColumnName = "ReparamGrayImage";

    public static ImageInput Read(MLContext mlContext, IDataView data, ReparamTrainerOptions options, ITargetReader targets)
    {
        var imageColumn = InputSchemaCheck.ImageColumn(data.Schema, options);
        targets.Columns(data.Schema);
        var (height, width) = InputSchemaCheck.ImageSize(data, imageColumn, options);
        var preprocessing = CreatePreprocessing(mlContext, imageColumn, options, height, width).Fit(data);
        var pixels = preprocessing.Transform(CallerImageCopies.Of(data));
        var dataset = ReadRows(pixels, options, targets, height, width);
        return new ImageInput(dataset, preprocessing, PixelColumnName);
    }

    private static IEstimator<ITransformer> CreatePreprocessing(MLContext mlContext, DataViewSchema.Column imageColumn, ReparamTrainerOptions options, int height, int width)
    {
        if (imageColumn.Type is VectorDataViewType)
        {
            return mlContext.Transforms.CopyColumns(PixelColumnName, imageColumn.Name);
        }

        // Two resizes: nearest-neighbour to twice the size, then the filtered resize down, which gives an image of
        // the model's size back bit for bit (tested). A single resize would pass such an image through and dispose
        // it on the next row (dotnet/machinelearning#7444): the saved chain gets the caller's images, so the first
        // resize must never have the size they have. Only images of exactly twice the size still meet that pass-through
        // in a saved model; in process every image is copied first (CallerImageCopies). Images of other sizes are
        // stretched to the model's aspect (docs/training.md).
        IEnumerable<string> temporary = [DoubledColumnName, ResizedColumnName];
        IEstimator<ITransformer> chain = mlContext.Transforms.ResizeImages(DoubledColumnName, 2 * width, 2 * height, imageColumn.Name, ImageResizingEstimator.ResizingKind.Fill)
            .Append(mlContext.Transforms.ResizeImages(ResizedColumnName, width, height, DoubledColumnName));
        var source = ResizedColumnName;

        var colors = ImagePixelExtractingEstimator.ColorBits.Rgb;
        if (options.ColorChannels == 1)
        {
            chain = chain.Append(mlContext.Transforms.ConvertToGrayscale(GrayColumnName, source));
            source = GrayColumnName;
            temporary = temporary.Append(source);
            colors = ImagePixelExtractingEstimator.ColorBits.Red;
        }

        chain = chain.Append(mlContext.Transforms.ExtractPixels(PixelColumnName, source, colors, scaleImage: 1f / 255));
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
        var readTarget = targets.Bind(cursor);
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
