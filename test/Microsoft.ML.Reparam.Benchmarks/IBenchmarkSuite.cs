namespace Microsoft.ML.Reparam.Benchmarks;

/// <summary>One benchmark suite: measures, then returns the JSON document and the Markdown table body.</summary>
internal interface IBenchmarkSuite
{
    string Name { get; }

    SuiteResult Run(BenchmarkArguments arguments);
}

/// <summary>A suite's measured result: an object serialized as SUITE.json, and Markdown written as SUITE.md.</summary>
internal sealed record SuiteResult(object Json, string Markdown);
