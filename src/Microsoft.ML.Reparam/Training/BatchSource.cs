using Microsoft.ML.Reparam.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>Turns slices of an <see cref="ImageTensorDataset"/> (all of it, or a view of some rows) into normalized image and target batches.</summary>
public sealed class BatchSource
{
    private readonly ImageTensorDataset _data;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly int[] _rows;

    /// <summary>Initializes a new instance of the <see cref="BatchSource"/> class.</summary>
    /// <param name="data">The images.</param>
    /// <param name="mean">Per-channel mean subtracted (empty: none).</param>
    /// <param name="std">Per-channel standard deviation divided by (empty: none).</param>
    public BatchSource(ImageTensorDataset data, float[] mean, float[] std)
        : this(data, null, mean, std)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="BatchSource"/> class over the rows <paramref name="rows"/> of <paramref name="data"/> (all when null), without copying them.</summary>
    internal BatchSource(ImageTensorDataset data, int[]? rows, float[] mean, float[] std)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        CheckPerChannel(mean, data.Channels, "InputMean");
        CheckPerChannel(std, data.Channels, "InputStd");
        if (std.Any(s => !(s > 0) || !float.IsFinite(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(std), $"InputStd values must be positive and finite: [{string.Join(", ", std)}].");
        }

        _data = data;
        _rows = rows ?? [.. Enumerable.Range(0, data.Count)];
        _mean = mean;
        _std = std;
    }

    /// <summary>Gets the images.</summary>
    public ImageTensorDataset Data => _data;

    /// <summary>Gets the number of images this source serves.</summary>
    public int Count => _rows.Length;

    /// <summary>Returns the normalized images at <paramref name="indices"/> (0..<see cref="Count"/> − 1) as [n, C, H, W] and their targets (class labels: int64 [n]).</summary>
    /// <param name="indices">Positions among the images this source serves.</param>
    /// <param name="device">The device of the result.</param>
    /// <returns>Images and targets; the caller owns them (use inside a dispose scope).</returns>
    public (Tensor Images, Tensor Labels) Batch(ReadOnlySpan<int> indices, Device? device = null)
    {
        var size = _data.ImageSize;
        var pixels = new float[indices.Length * size];
        var rows = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            rows[i] = _rows[indices[i]];
            Array.Copy(_data.Pixels, (long)rows[i] * size, pixels, (long)i * size, size);
        }

        var images = tensor(pixels, [indices.Length, _data.Channels, _data.Height, _data.Width]);
        if (_mean.Length > 0)
        {
            images = images - tensor(_mean).reshape(1, -1, 1, 1);
        }

        if (_std.Length > 0)
        {
            images = images / tensor(_std).reshape(1, -1, 1, 1);
        }

        var targets = _data.Targets.Batch(rows);
        return device is null ? (images, targets) : (images.to(device), targets.to(device));
    }

    private static void CheckPerChannel(float[] values, int channels, string name)
    {
        if (values.Length != 0 && values.Length != channels)
        {
            throw new ArgumentException($"{name} has {values.Length} values but the images have {channels} channel(s).", name);
        }
    }
}
