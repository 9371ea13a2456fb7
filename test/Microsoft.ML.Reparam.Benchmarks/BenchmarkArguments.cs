namespace Microsoft.ML.Reparam.Benchmarks;

/// <summary>The command line: <c>SUITE --out DIR [--quick]</c> plus suite-specific <c>--name value</c> pairs.</summary>
internal sealed record BenchmarkArguments(string Suite, string OutputDirectory, bool Quick, IReadOnlyDictionary<string, string> Extra, string CommandLine)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException("Usage: SUITE --out DIR [--quick] (suites: " + string.Join(", ", BenchmarkRunner.SuiteNames) + ").");
        }

        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        string? output = null;
        var quick = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case var name when name.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length:
                    extra[name[2..]] = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }
        }

        if (output is null)
        {
            throw new ArgumentException("--out DIR is required.");
        }

        var command = "dotnet run -c Release --project test/Microsoft.ML.Reparam.Benchmarks -- " + string.Join(' ', args);
        return new BenchmarkArguments(args[0], output, quick, extra, command);
    }

    /// <summary>Gets the path every output of this invocation starts with: <c>OUT/SUITE</c>, or <c>OUT/SUITE.quick</c> with <c>--quick</c>.</summary>
    public string OutputStem => Path.Combine(OutputDirectory, Suite + (Quick ? ".quick" : string.Empty));

    public string? Get(string name) => Extra.TryGetValue(name, out var value) ? value : null;
}
