namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// The values one activation took over the calibration images: its minimum and maximum (first pass), then a histogram
/// of 2,048 bins between them (second pass, for <see cref="CalibrationMethod.Percentile"/>).
/// </summary>
internal sealed class ActivationStatistics
{
    private const int Bins = 2048;
    private long[]? _histogram;

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public long Count { get; private set; }

    /// <summary>First pass: widens the minimum and maximum; throws on a value that is not finite.</summary>
    public void AddRange(ReadOnlySpan<float> values, string name)
    {
        foreach (var value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidOperationException($"Calibration found a non-finite value ({value}) in activation '{name}'; the network overflows on a calibration image and cannot be quantized.");
            }

            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }

        Count += values.Length;
    }

    /// <summary>Second pass: counts the values into bins between <see cref="Min"/> and <see cref="Max"/>.</summary>
    public void AddHistogram(ReadOnlySpan<float> values)
    {
        _histogram ??= new long[Bins];
        var width = Max - Min;
        foreach (var value in values)
        {
            var bin = width > 0 ? (int)((value - Min) / width * Bins) : 0;
            _histogram[Math.Clamp(bin, 0, Bins - 1)]++;
        }
    }

    /// <summary>Returns the range to quantize to; it always holds zero, so that zero (padding, ReLU's floor) is exact.</summary>
    public (float Low, float High) Range(CalibrationMethod method, double percentile)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("No calibration values were recorded.");
        }

        if (method == CalibrationMethod.Percentile && _histogram?.Sum() != Count)
        {
            throw new InvalidOperationException($"The percentile pass saw {_histogram?.Sum() ?? 0} values but the range pass {Count}: the calibration images must be the same in both passes.");
        }

        var (low, high) = method == CalibrationMethod.MinMax ? (Min, Max) : Percentiles(percentile);
        return (Math.Min(low, 0), Math.Max(high, 0));
    }

    private (float Low, float High) Percentiles(double percentile)
    {
        var tail = (long)Math.Floor(Count * (100 - percentile) / 100);
        var width = (Max - Min) / Bins;
        var (lowBin, highBin) = (0, Bins - 1);
        for (long seen = 0; lowBin < Bins - 1 && seen + _histogram![lowBin] <= tail; lowBin++)
        {
            seen += _histogram[lowBin];
        }

        for (long seen = 0; highBin > 0 && seen + _histogram![highBin] <= tail; highBin--)
        {
            seen += _histogram[highBin];
        }

        return (Min + (lowBin * width), Min + ((highBin + 1) * width));
    }
}
