using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>8-bit images with class labels, as an image dataset stores them (for example Fashion-MNIST).</summary>
/// <param name="Pixels">Pixels, [N, H, W, C] row-major (interleaved channels; C = 1 for grayscale).</param>
/// <param name="Labels">Class index of each image.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="Channels">C: 1 (grayscale) or 3 (RGB).</param>
/// <param name="ClassNames">The name of each class index.</param>
public sealed record LabeledImages(byte[] Pixels, int[] Labels, int Height, int Width, int Channels, IReadOnlyList<string> ClassNames)
{
    /// <summary>Gets the number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Returns the first <paramref name="count"/> images.</summary>
    /// <param name="count">How many images to keep.</param>
    /// <returns>The subset.</returns>
    public LabeledImages Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Count);
        return this with { Pixels = Pixels[..(count * Height * Width * Channels)], Labels = Labels[..count] };
    }

    /// <summary>Returns the pixels scaled to [0, 1], planar [N, C, H, W], ready for training.</summary>
    /// <returns>The dataset.</returns>
    public ImageTensorDataset ToTensorDataset()
    {
        var size = Height * Width;
        var planar = new float[Pixels.Length];
        for (var n = 0; n < Count; n++)
        {
            for (var p = 0; p < size; p++)
            {
                for (var c = 0; c < Channels; c++)
                {
                    planar[(((n * Channels) + c) * size) + p] = Pixels[(((n * size) + p) * Channels) + c] / 255f;
                }
            }
        }

        return new ImageTensorDataset(planar, Labels, Channels, Height, Width, ClassNames.Count);
    }

    /// <summary>Returns image <paramref name="index"/> as an <see cref="MLImage"/> (BGRA; grayscale is replicated into B, G and R).</summary>
    /// <param name="index">The image index.</param>
    /// <returns>The image; the caller disposes it.</returns>
    public MLImage ToMLImage(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var size = Height * Width;
        var bgra = new byte[size * 4];
        for (var p = 0; p < size; p++)
        {
            var source = ((index * size) + p) * Channels;
            var (r, g, b) = Channels == 1 ? (Pixels[source], Pixels[source], Pixels[source]) : (Pixels[source], Pixels[source + 1], Pixels[source + 2]);
            bgra[(p * 4) + 0] = b;
            bgra[(p * 4) + 1] = g;
            bgra[(p * 4) + 2] = r;
            bgra[(p * 4) + 3] = 255;
        }

        return MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Bgra32, bgra);
    }

    /// <summary>
    /// Returns an IDataView with an <see cref="MLImage"/> column "Image" and the class name as text column "Label",
    /// built with ML.NET's own vector-to-image conversion.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <returns>The data view.</returns>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var size = Height * Width;
        var schema = SchemaDefinition.Create(typeof(PixelRow));
        schema[nameof(PixelRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * size);
        var rows = Enumerable.Range(0, Count).Select(n => new PixelRow { Pixels = PlanarRgb(n), Label = ClassNames[Labels[n]] });
        var pixels = mlContext.Data.LoadFromEnumerable(rows, schema);
        var images = mlContext.Transforms.ConvertToImage(Height, Width, "Image", nameof(PixelRow.Pixels), ImagePixelExtractingEstimator.ColorBits.Rgb)
            .Append(mlContext.Transforms.DropColumns(nameof(PixelRow.Pixels)));
        return images.Fit(pixels).Transform(pixels);
    }

    /// <summary>Writes every image as a PNG file into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">The folder.</param>
    /// <returns>The path and class name of each image, in order.</returns>
    public IReadOnlyList<(string Path, string Label)> WritePngFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var files = new List<(string, string)>(Count);
        for (var i = 0; i < Count; i++)
        {
            var path = Path.Combine(directory, $"{i:D5}.png");
            using (var image = ToMLImage(i))
            {
                image.Save(path);
            }

            files.Add((path, ClassNames[Labels[i]]));
        }

        return files;
    }

    private float[] PlanarRgb(int index)
    {
        var size = Height * Width;
        var planes = new float[3 * size];
        for (var p = 0; p < size; p++)
        {
            var source = ((index * size) + p) * Channels;
            for (var c = 0; c < 3; c++)
            {
                planes[(c * size) + p] = Pixels[source + (Channels == 1 ? 0 : c)];
            }
        }

        return planes;
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = string.Empty;
    }
}
