namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>Mean and sample standard deviation of a group of runs.</summary>
internal readonly record struct Summary(double Mean, double StandardDeviation, int Count)
{
    public static Summary Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return new Summary(double.NaN, double.NaN, 0);
        }

        var mean = list.Average();
        var variance = list.Count > 1 ? list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1) : 0;
        return new Summary(mean, Math.Sqrt(variance), list.Count);
    }

    /// <summary>Formats as "mean ± std" with <paramref name="scale"/> applied (100 for percentages).</summary>
    public string Format(double scale = 1, string format = "F2") =>
        $"{(Mean * scale).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ± {(StandardDeviation * scale).ToString(format, System.Globalization.CultureInfo.InvariantCulture)}";
}
