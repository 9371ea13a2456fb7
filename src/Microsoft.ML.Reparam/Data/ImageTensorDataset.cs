namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Images and their targets in memory, ready to batch: pixels planar [N, C, H, W] in row-major order, already
/// scaled the way the deployed model scales them (ML.NET pixel extraction); for classification the targets are class
/// indices 0..K−1 (<see cref="Labels"/>). The one copy of the pixels a fit holds: training, validation and fold-check
/// rows are index views over it.
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
        : this(pixels, CheckedLabels(labels, classCount), channels, height, width)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ImageTensorDataset"/> class with any kind of targets.</summary>
    internal ImageTensorDataset(float[] pixels, TargetSet targets, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (pixels.LongLength != (long)channels * height * width * targets.Count)
        {
            throw new ArgumentException($"{pixels.LongLength} pixel values do not make {targets.Count} images of {channels}x{height}x{width}.", nameof(pixels));
        }

        Pixels = pixels;
        Targets = targets;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Gets the pixels, [N, C, H, W] row-major.</summary>
    public float[] Pixels { get; }

    /// <summary>Gets the class index of each image (classification data).</summary>
    /// <exception cref="InvalidOperationException">The targets are not class indices.</exception>
    public int[] Labels => ClassTargets.Labels;

    /// <summary>Gets the channel count C.</summary>
    public int Channels { get; }

    /// <summary>Gets the height H.</summary>
    public int Height { get; }

    /// <summary>Gets the width W.</summary>
    public int Width { get; }

    /// <summary>Gets the number of classes K (classification data).</summary>
    /// <exception cref="InvalidOperationException">The targets are not class indices.</exception>
    public int ClassCount => ClassTargets.ClassCount;

    /// <summary>Gets the number of images N.</summary>
    public int Count => Targets.Count;

    /// <summary>Gets the target of every image.</summary>
    internal TargetSet Targets { get; }

    /// <summary>Gets the source image of every row when rows are patches of fewer images (validation then holds out whole images), else null.</summary>
    internal int[]? Groups { get; init; }

    private ClassTargets ClassTargets => Targets as ClassTargets ?? throw new InvalidOperationException($"These images have {Targets.GetType().Name}, not class labels.");

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
        for (var i = 0; i < indices.Count; i++)
        {
            Array.Copy(Pixels, (long)indices[i] * size, pixels, (long)i * size, size);
        }

        return new ImageTensorDataset(pixels, Targets.Subset(indices), Channels, Height, Width) { Groups = Groups is null ? null : [.. indices.Select(i => Groups[i])] };
    }

    private static ClassTargets CheckedLabels(int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var outOfRange = Array.FindIndex(labels, label => label < 0 || label >= classCount);
        if (outOfRange >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(labels), labels[outOfRange], $"Label of image {outOfRange} is outside 0..{classCount - 1}.");
        }

        return new ClassTargets(labels, classCount);
    }
}
