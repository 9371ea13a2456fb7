using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>Checks of the trainer's input columns, each failing with a message that names the column and the problem.</summary>
internal static class InputSchemaCheck
{
    public static DataViewSchema.Column ImageColumn(DataViewSchema schema, ReparamTrainerOptions options)
    {
        var column = Find(schema, options.ImageColumnName, "Image");
        if (column.Type is ImageDataViewType)
        {
            return column;
        }

        if (column.Type is VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 } vector && vector.ItemType == NumberDataViewType.Single)
        {
            if (options.ImageWidth is null || options.ImageHeight is null)
            {
                throw new ArgumentException($"Image column '{column.Name}' is a pixel vector; set ImageWidth and ImageHeight to say its layout ({options.ColorChannels} x height x width).", nameof(options));
            }

            var expected = options.ColorChannels * options.ImageHeight.Value * options.ImageWidth.Value;
            if (vector.Size != expected)
            {
                throw new ArgumentException($"Image column '{column.Name}' has {vector.Size} values per row but ColorChannels x ImageHeight x ImageWidth = {options.ColorChannels}x{options.ImageHeight}x{options.ImageWidth} = {expected}.", nameof(options));
            }

            return column;
        }

        throw new ArgumentException($"Image column '{column.Name}' has type {column.Type}; expected an image (MLImage, from LoadImages) or a known-size vector of Single.", nameof(options));
    }

    public static IReadOnlyList<string> ClassNames(DataViewSchema schema, string labelColumnName)
    {
        var column = Find(schema, labelColumnName, "Label");
        if (column.Type is not KeyDataViewType key)
        {
            throw new ArgumentException($"Label column '{labelColumnName}' has type {column.Type}; expected a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{labelColumnName}\") before the trainer.", nameof(labelColumnName));
        }

        if (key.Count < 2)
        {
            throw new ArgumentException($"Label column '{labelColumnName}' is a key with {key.Count} value(s); at least two classes are needed.", nameof(labelColumnName));
        }

        var count = (int)key.Count;
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is not { } annotation)
        {
            return Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        }

        if (annotation.Type is not VectorDataViewType { ItemType: TextDataViewType } valuesType)
        {
            throw new ArgumentException($"Label column '{labelColumnName}' has key values of type {annotation.Type}; text key values (as MapValueToKey makes from strings) are supported.", nameof(labelColumnName));
        }

        if (valuesType.Size != count)
        {
            throw new ArgumentException($"Label column '{labelColumnName}': its key type has {count} values but its key-value annotation lists {valuesType.Size}.", nameof(labelColumnName));
        }

        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        var names = values.DenseValues().Select(v => v.ToString()).ToList();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Label column '{labelColumnName}': the key value '{duplicate.Key}' appears {duplicate.Count()} times.", nameof(labelColumnName));
        }

        return names;
    }

    /// <summary>The most pixels the preprocessing's enlarged image may have (64 MiB as BGRA): beyond it, k stops growing and the nearest step shrinks the largest images.</summary>
    private const long MaxEnlargedPixels = 1L << 24;

    /// <summary>
    /// Returns the size the network sees — the configured resize, else the one size all images share — and the power of
    /// two the preprocessing's first resize enlarges by (<see cref="ImageSizes"/>); reads every image's size once.
    /// </summary>
    public static ImageSizes ImageSizes(IDataView data, DataViewSchema.Column imageColumn, ReparamTrainerOptions options)
    {
        if (options.ImageWidth is not null ^ options.ImageHeight is not null)
        {
            throw new ArgumentException($"Set both ImageWidth and ImageHeight, or neither (got {options.ImageWidth?.ToString() ?? "null"} x {options.ImageHeight?.ToString() ?? "null"}).", nameof(options));
        }

        if (options.ImageWidth is { } width && options.ImageHeight is { } height)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, nameof(options.ImageWidth));
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height, nameof(options.ImageHeight));
        }

        if (imageColumn.Type is not ImageDataViewType)
        {
            return new ImageSizes(options.ImageHeight!.Value, options.ImageWidth!.Value, 0);
        }

        var (common, largest) = ScanSizes(data, imageColumn, requireCommon: options.ImageWidth is null, options.MaxImagePixels);
        var size = options.ImageWidth is { } w && options.ImageHeight is { } h ? (Height: h, Width: w) : common;
        var factor = 2;
        while ((factor * size.Width <= largest.Width || factor * size.Height <= largest.Height) && (long)(2 * factor) * size.Width * (2 * factor) * size.Height <= MaxEnlargedPixels)
        {
            factor *= 2;
        }

        return new ImageSizes(size.Height, size.Width, factor);
    }

    private static ((int Height, int Width) Common, (int Height, int Width) Largest) ScanSizes(IDataView data, DataViewSchema.Column imageColumn, bool requireCommon, long maxPixels)
    {
        using var cursor = data.GetRowCursor([imageColumn]);
        var getImage = cursor.GetGetter<MLImage>(imageColumn);
        MLImage image = null!;
        (int Height, int Width)? first = null;
        (int Height, int Width) largest = (0, 0);
        var row = 0;
        while (cursor.MoveNext())
        {
            ImageLimit.Read(getImage, ref image, imageColumn.Name, row);
            if (image is null || image.Width < 1 || image.Height < 1)
            {
                throw new ArgumentException($"Image column '{imageColumn.Name}': row {row} has {(image is null ? "no image" : $"an empty image ({image.Width}x{image.Height})")}.");
            }

            ImageLimit.Check(imageColumn.Name, row, image.Width, image.Height, maxPixels);
            var size = (image.Height, image.Width);
            first ??= size;
            if (requireCommon && size != first)
            {
                throw new ArgumentException($"Image column '{imageColumn.Name}': row {row} is {size.Width}x{size.Height} but row 0 is {first.Value.Width}x{first.Value.Height}; set ImageWidth and ImageHeight to resize all images to one size.");
            }

            largest = (Math.Max(largest.Height, size.Height), Math.Max(largest.Width, size.Width));
            row++;
        }

        return first is { } common ? (common, largest) : throw new ArgumentException("The training data has no rows.");
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"{role} column '{name}' was not found in the input data; its columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", name);
    }
}

/// <summary>The size the network sees, and the power of two the first resize enlarges every training image by.</summary>
/// <param name="Height">Height the network sees.</param>
/// <param name="Width">Width the network sees.</param>
/// <param name="UpscaleFactor">k: the smallest power of two ≥ 2 with k·W and k·H above every training image's width and height, as long as k·W·k·H stays within 2²⁴ pixels; 0 for a pixel-vector column.</param>
internal sealed record ImageSizes(int Height, int Width, int UpscaleFactor);
