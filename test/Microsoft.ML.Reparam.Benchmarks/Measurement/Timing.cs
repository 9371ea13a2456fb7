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

    /// <summary>Times two actions in alternating rounds, so both see the same machine state; returns the median over rounds of each one's median milliseconds.</summary>
    public static (double First, double Second) InterleavedMedians(Action first, Action second, int warmup, int repeats, int rounds = 5)
    {
        var (a, b) = (new List<double>(), new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            a.Add(MedianMilliseconds(first, warmup, repeats));
            b.Add(MedianMilliseconds(second, warmup, repeats));
        }

        return (Median(a), Median(b));
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
