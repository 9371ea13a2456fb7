using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Benchmarks.Suites;
using Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

namespace Microsoft.ML.Reparam.Benchmarks;

internal static class BenchmarkRunner
{
    private static readonly IBenchmarkSuite[] Suites = [new FoldSuite(), new TrainCostSuite(), new NkrStudySuite(), new ReactivationStudySuite(), new DiffStrideStudySuite(), new SegStudySuite(), new SrStudySuite(), new DenoiseStudySuite(), new SrLongSuite(), new DenoiseLongSuite(), new RobustnessSuite(), new ServiceSuite(), new Int8StudySuite(), new LongStudySuite(), new FmnistBestSuite(), new ConvCheckSuite(), new GcStressSuite()];

    public static IEnumerable<string> SuiteNames => Suites.Select(suite => suite.Name);

    public static int Run(string[] args)
    {
        Microsoft.ML.Reparam.Torch.ConvolutionCheck.Ensure(); // suites that run models without fitting see right convolutions too
        if (args.Length > 0 && args[0] == TrainCostSuite.ChildCommand)
        {
            return TrainCostSuite.RunChild(args);
        }

        if (args.Length > 0 && args[0] == FitStress.ChildCommand)
        {
            return FitStress.RunChild(args);
        }

        if (args.Length > 0 && args[0] == LayerProbes.ChildCommand)
        {
            return LayerProbes.RunChild(args);
        }

        if (args.Length == 3 && args[0] == "fashion-subset")
        {
            // Rewrites the embedded subset: fashion-subset SOURCE_DIR OUTPUT_DIR (Data/FashionMnist/README.md).
            Microsoft.ML.Reparam.Data.FashionMnistSubset.Write(args[1], args[2]);
            return 0;
        }

        try
        {
            var arguments = BenchmarkArguments.Parse(args);
            var suite = Suites.FirstOrDefault(s => s.Name == arguments.Suite)
                ?? throw new ArgumentException($"Unknown suite '{arguments.Suite}'. Suites: {string.Join(", ", SuiteNames)}.");
            Write(arguments, suite.Run(arguments));
            return 0;
        }
        catch (ArgumentException exception)
        {
            // A bad command line, or a suite's missing data folder: its message, not a stack trace.
            Console.Error.WriteLine(exception.Message);
            return 2;
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static void Write(BenchmarkArguments arguments, SuiteResult result)
    {
        Directory.CreateDirectory(arguments.OutputDirectory);
        var stem = arguments.OutputStem;
        var json = stem + ".json";
        var markdown = stem + ".md";
        File.WriteAllText(json, JsonSerializer.Serialize(result.Json, JsonOptions));
        var header = $"# Benchmark `{arguments.Suite}`{(arguments.Quick ? " (quick)" : string.Empty)}\n\n" +
            $"Command: `{arguments.CommandLine}`\n\n" +
            (ResumableStudy.Counts.Read > 0
                ? $"Written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {ResumableStudy.Counts.Read} of its {ResumableStudy.Counts.Read + ResumableStudy.Counts.Measured} runs were measured by earlier invocations of this command (their files are in {Path.GetFileName(stem)}.runs/).\n\n"
                : $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.\n\n");
        var chart = result.Chart is { } bars ? Charts.Draw(bars, stem) : null;
        File.WriteAllText(markdown, header + result.Markdown + (chart is null ? string.Empty : $"\n![{result.Chart!.Title}]({Path.GetFileName(chart)})\n"));
        Console.WriteLine($"wrote {json} and {markdown}{(chart is null ? string.Empty : $" and {chart}")}");
    }
}
