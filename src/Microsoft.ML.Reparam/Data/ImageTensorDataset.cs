namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Images and labels in memory, ready to batch: pixels planar [N, C, H, W] in row-major order, already
/// scaled the way the deployed model scales them (ML.NET pixel extraction), labels as class indices 0..K−1.
/// </summary>
public sealed class ImageTensorDataset
{
    /// <summary>Initializes a new instance of the <see cref="ImageTensorDataset"/> class.</summary>
    /// <param name="pixels">Pixels, N × C × H × W values.</param>
    /// <param name="labels">Class index of each image.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="classCount">K, the number of classes.</param>
    public ImageTensorDataset(float[] pixels, int[] labels, int channels, int height, int width, int classCount)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var imageSize = (long)channels * height * width;
        if (pixels.LongLength != imageSize * labels.LongLength)
        {
            throw new ArgumentException($"{pixels.LongLength} pixel values do not make {labels.Length} images of {channels}x{height}x{width}.", nameof(pixels));
        }

        var outOfRange = Array.FindIndex(labels, label => label < 0 || label >= classCount);
        if (outOfRange >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(labels), labels[outOfRange], $"Label of image {outOfRange} is outside 0..{classCount - 1}.");
        }

        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassCount = classCount;
    }

    /// <summary>Gets the pixels, [N, C, H, W] row-major.</summary>
    public float[] Pixels { get; }

    /// <summary>Gets the class index of each image.</summary>
    public int[] Labels { get; }

    /// <summary>Gets the channel count C.</summary>
    public int Channels { get; }

    /// <summary>Gets the height H.</summary>
    public int Height { get; }

    /// <summary>Gets the width W.</summary>
    public int Width { get; }

    /// <summary>Gets the number of classes K.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the number of images N.</summary>
    public int Count => Labels.Length;

    /// <summary>Gets the values per image, C × H × W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>Returns a dataset of the images at <paramref name="indices"/>, in that order.</summary>
    /// <param name="indices">Image indices.</param>
    /// <returns>The subset.</returns>
    public ImageTensorDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var size = ImageSize;
        var pixels = new float[(long)indices.Count * size];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Array.Copy(Pixels, (long)indices[i] * size, pixels, (long)i * size, size);
            labels[i] = Labels[indices[i]];
        }

        return new ImageTensorDataset(pixels, labels, Channels, Height, Width, ClassCount);
    }
}
