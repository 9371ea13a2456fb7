using System.Diagnostics;

namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

internal static class Timing
{
    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times unmeasured, then returns the median of <paramref name="repeats"/> timings in milliseconds.</summary>
    public static double MedianMilliseconds(Action action, int warmup, int repeats)
    {
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples[i] = watch.Elapsed.TotalMilliseconds;
        }

        return Median(samples);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
