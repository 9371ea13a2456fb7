using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Reads an image column and a key label column into an <see cref="ImageTensorDataset"/> through stock ML.NET
/// preprocessing (resize, grayscale, pixel extraction scaled to [0, 1]) — the same transforms the deployed model
/// carries — checking the input first and naming the column and row of any problem.
/// </summary>
internal static class ImageColumnReader
{
    public const string PixelColumnName = "ReparamPixels";
    private const string DoubledColumnName = "ReparamDoubledImage";
    private const string ResizedColumnName = "ReparamResizedImage";
    private const string GrayColumnName = "ReparamGrayImage";

    public static ImageInput Read(MLContext mlContext, IDataView data, ReparamConvTrainerOptions options)
    {
        var imageColumn = InputSchemaCheck.ImageColumn(data.Schema, options);
        var classNames = InputSchemaCheck.ClassNames(data.Schema, options.LabelColumnName);
        var (height, width) = InputSchemaCheck.ImageSize(data, imageColumn, options);
        var preprocessing = CreatePreprocessing(mlContext, imageColumn, options, height, width).Fit(data);
        var pixels = preprocessing.Transform(CallerImageCopies.Of(data));
        var dataset = ReadRows(pixels, options, classNames.Count, height, width);
        return new ImageInput(dataset, classNames, preprocessing, PixelColumnName);
    }

    private static IEstimator<ITransformer> CreatePreprocessing(MLContext mlContext, DataViewSchema.Column imageColumn, ReparamConvTrainerOptions options, int height, int width)
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

    /// <summary>Reads the preprocessed pixel vectors and the label keys, checking each row.</summary>
    public static ImageTensorDataset ReadRows(IDataView pixels, ReparamConvTrainerOptions options, int classCount, int height, int width)
    {
        var pixelColumn = pixels.Schema[PixelColumnName];
        var labelColumn = pixels.Schema[options.LabelColumnName];
        var imageSize = options.ColorChannels * height * width;
        var values = new List<float>();
        var labels = new List<int>();
        using var cursor = pixels.GetRowCursor([pixelColumn, labelColumn]);
        var getPixels = cursor.GetGetter<VBuffer<float>>(pixelColumn);
        var getLabel = cursor.GetGetter<uint>(labelColumn);
        VBuffer<float> buffer = default;
        uint key = 0;
        var row = 0;
        while (cursor.MoveNext())
        {
            getPixels(ref buffer);
            getLabel(ref key);
            if (key == 0)
            {
                throw new ArgumentException($"Label column '{options.LabelColumnName}': row {row} has a missing label (key 0: a value outside the key's dictionary, or none).", nameof(options));
            }

            if (key > classCount)
            {
                throw new ArgumentException($"Label column '{options.LabelColumnName}': row {row} has key {key}, but the key type has {classCount} values (1..{classCount}).", nameof(options));
            }

            if (buffer.Length != imageSize)
            {
                throw new ArgumentException($"Image column '{options.ImageColumnName}': row {row} gives {buffer.Length} pixel values, expected {options.ColorChannels}x{height}x{width} = {imageSize}.", nameof(options));
            }

            var dense = buffer.DenseValues().ToArray();
            var bad = Array.FindIndex(dense, v => !float.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException($"Image column '{options.ImageColumnName}': row {row} has a non-finite pixel value ({dense[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)}) at position {bad}.", nameof(options));
            }

            values.AddRange(dense);
            labels.Add((int)key - 1);
            row++;
        }

        if (row == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(pixels));
        }

        var distinct = labels.Distinct().Count();
        if (distinct < 2)
        {
            throw new ArgumentException($"Label column '{options.LabelColumnName}': all {row} rows have the same class ('{labels[0] + 1}'); at least two classes are needed.", nameof(options));
        }

        return new ImageTensorDataset([.. values], [.. labels], options.ColorChannels, height, width, classCount);
    }
}
