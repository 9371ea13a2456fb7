namespace Microsoft.ML.Reparam.Benchmarks;

/// <summary>One benchmark suite: measures, then returns the JSON document and the Markdown table body.</summary>
internal interface IBenchmarkSuite
{
    string Name { get; }

    SuiteResult Run(BenchmarkArguments arguments);
}

/// <summary>A suite's measured result: an object serialized as SUITE.json, Markdown written as SUITE.md, and optionally a bar chart drawn as SUITE.png.</summary>
internal sealed record SuiteResult(object Json, string Markdown, BarChart? Chart = null);

/// <summary>A bar chart with error bars (mean ± std per config), drawn by tools/TrainingPlots.</summary>
internal sealed record BarChart(string Title, string ValueName, IReadOnlyList<Bar> Bars);

/// <summary>One bar: a config's mean and standard deviation.</summary>
internal sealed record Bar(string Label, double Mean, double Std)
{
    /// <summary>The bar of a group of runs' values.</summary>
    public static Bar Of(string label, IEnumerable<double> values)
    {
        var summary = Studies.Summary.Of(values);
        return new Bar(label, summary.Mean, summary.StandardDeviation);
    }
}
