using System.Globalization;
using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Grayscale images with per-pixel masks: the embedded synthetic scenes (<see cref="Synthetic"/>) or a folder laid out
/// like the ISBI 2012 membrane slices (<see cref="Load"/>). Mask values are stored as they are (class ids, or 0/255
/// for a binary mask); the trainer's options say how to read them.
/// </summary>
/// <param name="Images">Pixels, [N, H, W] row-major, one byte each.</param>
/// <param name="Masks">Mask values, [N, H, W] row-major.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="ClassNames">The name of each class id (of each mask value, for synthetic scenes), or null when unknown.</param>
public sealed record SegmentationImages(byte[] Images, byte[] Masks, int Height, int Width, IReadOnlyList<string>? ClassNames)
{
    private const int TextureSize = 512;
    private static readonly string[] Textures = ["brick", "grass", "gravel"];

    /// <summary>Gets the number of images.</summary>
    public int Count => Images.Length / (Height * Width);

    /// <summary>
    /// Generates <paramref name="count"/> scenes of <paramref name="size"/>² pixels: a crop of one of three embedded
    /// CC0 textures (brick, grass, gravel; Data/Textures/README.md), dimmed, with embedded Fashion-MNIST garments
    /// pasted at random positions and scales. Mask value = garment class + 1 on the garment's own pixels (value ≥ 32),
    /// 0 on the background; a later garment covers an earlier one. The same seed gives the same scenes.
    /// </summary>
    /// <param name="count">Number of scenes.</param>
    /// <param name="size">Side of each scene in pixels (32 to 511, the textures being 512).</param>
    /// <param name="seed">Seed of every draw.</param>
    /// <param name="garments">Garments per scene.</param>
    /// <returns>The scenes; class names are "background" and the ten Fashion-MNIST classes.</returns>
    public static SegmentationImages Synthetic(int count, int size = 64, int seed = 1, int garments = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, TextureSize - 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(garments);
        var textures = Textures.Select(LoadTexture).ToArray();
        var fashion = FashionMnist.LoadEmbedded().Test;
        var random = new Random(seed);
        var images = new byte[count * size * size];
        var masks = new byte[count * size * size];
        for (var n = 0; n < count; n++)
        {
            var image = images.AsSpan(n * size * size, size * size);
            var mask = masks.AsSpan(n * size * size, size * size);
            var texture = textures[random.Next(textures.Length)];
            var (top, left) = (random.Next(TextureSize - size), random.Next(TextureSize - size));
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    image[(y * size) + x] = (byte)(texture[((top + y) * TextureSize) + left + x] / 2);
                }
            }

            for (var g = 0; g < garments; g++)
            {
                var index = random.Next(fashion.Count);
                var side = random.Next(size / 4, size / 2 + 1);
                Paste(fashion.Pixels.AsSpan(index * 28 * 28, 28 * 28), (byte)(fashion.Labels[index] + 1), side, random.Next(size - side + 1), random.Next(size - side + 1), size, image, mask);
            }
        }

        return new SegmentationImages(images, masks, size, size, ["background", .. FashionMnist.ClassNames]);
    }

    /// <summary>
    /// Reads a folder laid out as <c>image/N.png</c> and <c>label/N.png</c> (N = 0, 1, …, consecutive; the ISBI 2012
    /// membrane slices, for example), all of one size; the red channel of each PNG is used.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="indices">The slice numbers to read, or null for all.</param>
    /// <returns>The images and masks, in the order of <paramref name="indices"/>.</returns>
    /// <exception cref="ArgumentException">The folder, a file, or a matching size is missing (named).</exception>
    public static SegmentationImages Load(string directory, IReadOnlyList<int>? indices = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var imageFolder = Path.Combine(directory, "image");
        if (!Directory.Exists(imageFolder) || !Directory.Exists(Path.Combine(directory, "label")))
        {
            throw new ArgumentException($"'{directory}' does not hold the folders image/ and label/.", nameof(directory));
        }

        indices ??= [.. Enumerable.Range(0, Directory.GetFiles(imageFolder, "*.png").Length)];
        var images = new List<byte[]>();
        var masks = new List<byte[]>();
        (int Height, int Width)? size = null;
        foreach (var index in indices)
        {
            foreach (var (folder, list) in new[] { ("image", images), ("label", masks) })
            {
                var path = Path.Combine(directory, folder, index.ToString(CultureInfo.InvariantCulture) + ".png");
                if (!File.Exists(path))
                {
                    throw new ArgumentException($"Missing file '{path}'.", nameof(directory));
                }

                using var image = MLImage.CreateFromFile(path);
                size ??= (image.Height, image.Width);
                if ((image.Height, image.Width) != size)
                {
                    throw new ArgumentException($"'{path}' is {image.Width}x{image.Height}, but the first image is {size.Value.Width}x{size.Value.Height}.", nameof(directory));
                }

                list.Add(Red(image));
            }
        }

        return size is { } s
            ? new SegmentationImages([.. images.SelectMany(i => i)], [.. masks.SelectMany(m => m)], s.Height, s.Width, null)
            : throw new ArgumentException($"'{directory}' holds no images.", nameof(directory));
    }

    /// <summary>Returns images <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1.</summary>
    /// <param name="start">The first image.</param>
    /// <param name="count">How many.</param>
    /// <returns>The slice.</returns>
    public SegmentationImages Slice(int start, int count)
    {
        var size = Height * Width;
        return this with { Images = Images[(start * size)..((start + count) * size)], Masks = Masks[(start * size)..((start + count) * size)] };
    }

    /// <summary>Returns image <paramref name="index"/> as an <see cref="MLImage"/> (gray in B, G and R); the caller owns it.</summary>
    /// <param name="index">The image.</param>
    /// <returns>The image.</returns>
    public MLImage ImageAt(int index) => Gray(Images, index);

    /// <summary>Returns mask <paramref name="index"/> as an <see cref="MLImage"/> whose pixel values are the mask values; the caller owns it.</summary>
    /// <param name="index">The mask.</param>
    /// <returns>The mask image.</returns>
    public MLImage MaskAt(int index) => Gray(Masks, index);

    /// <summary>
    /// Returns an IDataView with <see cref="MLImage"/> columns "Image" and "Mask" (gray: the value in R, G and B), built
    /// with ML.NET's own vector-to-image conversion (the images belong to the view's cursors).
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <returns>The data view.</returns>
    public IDataView ToDataView(MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var size = Height * Width;
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.ImagePixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * size);
        schema[nameof(Row.MaskValues)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3 * size);
        float[] Planes(byte[] values, int n) => [.. Enumerable.Repeat(values.AsSpan(n * size, size).ToArray(), 3).SelectMany(plane => plane.Select(v => (float)v))];
        var rows = Enumerable.Range(0, Count).Select(n => new Row { ImagePixels = Planes(Images, n), MaskValues = Planes(Masks, n) });
        var vectors = mlContext.Data.LoadFromEnumerable(rows, schema);
        var images = mlContext.Transforms.ConvertToImage(Height, Width, "Image", nameof(Row.ImagePixels), ImagePixelExtractingEstimator.ColorBits.Rgb)
            .Append(mlContext.Transforms.ConvertToImage(Height, Width, "Mask", nameof(Row.MaskValues), ImagePixelExtractingEstimator.ColorBits.Rgb))
            .Append(mlContext.Transforms.DropColumns(nameof(Row.ImagePixels), nameof(Row.MaskValues)));
        return images.Fit(vectors).Transform(vectors);
    }

    private static byte[] LoadTexture(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Microsoft.ML.Reparam.Data.Textures.{name}.png")
            ?? throw new InvalidOperationException($"The embedded texture '{name}.png' is missing from the assembly.");
        using var image = MLImage.CreateFromStream(stream);
        return Red(image);
    }

    private static byte[] Red(MLImage image)
    {
        var pixels = image.Pixels;
        var offset = image.PixelFormat == MLPixelFormat.Bgra32 ? 2 : 0;
        var red = new byte[image.Width * image.Height];
        for (var i = 0; i < red.Length; i++)
        {
            red[i] = pixels[(4 * i) + offset];
        }

        return red;
    }

    private MLImage Gray(byte[] values, int index)
    {
        var size = Height * Width;
        var bgra = new byte[4 * size];
        for (var i = 0; i < size; i++)
        {
            var v = values[(index * size) + i];
            (bgra[4 * i], bgra[(4 * i) + 1], bgra[(4 * i) + 2], bgra[(4 * i) + 3]) = (v, v, v, 255);
        }

        return MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Bgra32, bgra);
    }

    /// <summary>Pastes a 28×28 garment resized (bilinear) to <paramref name="side"/>², where its own pixel is at least 32.</summary>
    private static void Paste(ReadOnlySpan<byte> garment, byte label, int side, int top, int left, int size, Span<byte> image, Span<byte> mask)
    {
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var value = Bilinear(garment, ((y + 0.5) * 28 / side) - 0.5, ((x + 0.5) * 28 / side) - 0.5);
                if (value >= 32)
                {
                    var at = ((top + y) * size) + left + x;
                    image[at] = (byte)value;
                    mask[at] = label;
                }
            }
        }
    }

    private static double Bilinear(ReadOnlySpan<byte> garment, double y, double x)
    {
        var (y0, x0) = ((int)Math.Floor(y), (int)Math.Floor(x));
        var (fy, fx) = (y - y0, x - x0);
        var (r0, r1, c0, c1) = (Math.Clamp(y0, 0, 27) * 28, Math.Clamp(y0 + 1, 0, 27) * 28, Math.Clamp(x0, 0, 27), Math.Clamp(x0 + 1, 0, 27));
        return ((1 - fy) * (((1 - fx) * garment[r0 + c0]) + (fx * garment[r0 + c1]))) + (fy * (((1 - fx) * garment[r1 + c0]) + (fx * garment[r1 + c1])));
    }

    private sealed class Row
    {
        public float[] ImagePixels { get; set; } = [];

        public float[] MaskValues { get; set; } = [];
    }
}
