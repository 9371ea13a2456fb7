using System.Globalization;

namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>
/// A group of runs compared with a baseline group by Welch's t statistic, t = Δ / √(s₁²/n₁ + s₂²/n₂). With three seeds a
/// side, |t| above about 2.8 corresponds to p &lt; 0.05 (two-sided, ≈4 degrees of freedom); we call that "beyond seed noise".
/// </summary>
internal sealed record GroupComparison(string Name, Summary Accuracy, double Difference, double WelchT)
{
    public const double NoiseThreshold = 2.8;

    public bool BeyondNoise => Math.Abs(WelchT) > NoiseThreshold;

    public static GroupComparison Of(string name, IReadOnlyList<double> values, IReadOnlyList<double> baseline)
    {
        var a = Summary.Of(values);
        var b = Summary.Of(baseline);
        var standardError = Math.Sqrt((a.StandardDeviation * a.StandardDeviation / Math.Max(1, a.Count)) + (b.StandardDeviation * b.StandardDeviation / Math.Max(1, b.Count)));
        var difference = a.Mean - b.Mean;
        return new GroupComparison(name, a, difference, standardError > 0 ? difference / standardError : double.NaN);
    }

    public string Verdict => double.IsNaN(WelchT) ? "n/a (one seed)" : BeyondNoise ? "beyond seed noise" : "within seed noise";

    public string FormatDifference() => (Difference * 100).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) + " pt";

    public string FormatT() => double.IsNaN(WelchT) ? "–" : WelchT.ToString("F2", CultureInfo.InvariantCulture);
}
