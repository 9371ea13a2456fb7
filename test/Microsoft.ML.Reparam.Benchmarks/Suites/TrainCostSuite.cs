using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Models;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>train-cost</c>: for the same deployed classifier built from each block configuration, the median
/// training step time and the peak resident memory above the process's baseline once the model is built.
/// Each configuration runs in its own child process so that peaks do not mix.
/// </summary>
internal sealed class TrainCostSuite : IBenchmarkSuite
{
    public const string ChildCommand = "train-cost-child";

    private const int BatchSize = 64;

    public string Name => "train-cost";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var steps = arguments.Quick ? 8 : 40;
        var warmup = arguments.Quick ? 2 : 5;
        var configs = new List<ConfigCost>();
        foreach (var config in BenchmarkModels.AllBlockConfigs())
        {
            var cost = RunChildProcess(config.Name, steps, warmup);
            Console.WriteLine($"{cost.Kind}: {cost.StepMs:F1} ms/step, peak +{cost.PeakRssMb:F1} MiB over {cost.BaselineRssMb:F1} MiB");
            configs.Add(cost);
        }

        return new SuiteResult(new { batchSize = BatchSize, steps, warmup, configs }, Markdown(configs, steps, warmup));
    }

    /// <summary>The child: build one configuration, measure, print one JSON line.</summary>
    public static int RunChild(string[] args)
    {
        var kind = args[1];
        var steps = int.Parse(args[2], CultureInfo.InvariantCulture);
        var warmup = int.Parse(args[3], CultureInfo.InvariantCulture);
        var architecture = BenchmarkModels.Classifier();
        manual_seed(0);
        using var model = new VggClassifier(architecture, BenchmarkModels.Find(kind).CreateBlock);
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using var images = randn(BatchSize, architecture.InputChannels, architecture.Height, architecture.Width);
        using var labels = randint(architecture.Classes, [BatchSize], dtype: int64);
        GC.Collect();
        var baseline = ProcessMemory.CurrentMb();
        ProcessMemory.ResetPeak();
        var stepMs = Timing.MedianMilliseconds(
            () =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(images), labels);
                loss.backward();
                optimizer.step();
            },
            warmup,
            steps);
        var peak = ProcessMemory.PeakMb() - baseline;
        Console.WriteLine(JsonSerializer.Serialize(new ConfigCost(kind, stepMs, peak, baseline), BenchmarkRunner.JsonOptions).ReplaceLineEndings(string.Empty));
        return 0;
    }

    private static ConfigCost RunChildProcess(string kind, int steps, int warmup)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(TrainCostSuite).Assembly.Location);
        }

        foreach (var argument in new[] { ChildCommand, kind, steps.ToString(CultureInfo.InvariantCulture), warmup.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        var error = process.StandardError.ReadToEndAsync();
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Child for '{kind}' failed ({process.ExitCode}): {error.Result}");
        }

        return JsonSerializer.Deserialize<ConfigCost>(lines[^1], BenchmarkRunner.JsonOptions)
            ?? throw new InvalidOperationException($"Child for '{kind}' printed no result.");
    }

    private static string Markdown(IReadOnlyList<ConfigCost> configs, int steps, int warmup)
    {
        var architecture = BenchmarkModels.Classifier();
        var text = new StringBuilder();
        text.AppendLine($"Deployed classifier {architecture.InputChannels}x{architecture.Height}x{architecture.Width}, widths [{string.Join(", ", architecture.StageWidths)}], depths [{string.Join(", ", architecture.StageDepths)}]; SGD step on a batch of {BatchSize}; median of {steps} steps after {warmup} warm-up steps; peak RSS (VmHWM, reset after the model is built) minus the RSS at that point; one child process per configuration.").AppendLine();
        var plain = configs.FirstOrDefault(c => c.Kind == "Plain");
        text.AppendLine("| kind | step ms | step time / plain | peak RSS above baseline (MiB) | baseline RSS (MiB) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var c in configs)
        {
            var ratio = plain is null ? double.NaN : c.StepMs / plain.StepMs;
            text.AppendLine($"| {c.Kind} | {c.StepMs:F1} | {ratio:F2} | {c.PeakRssMb:F1} | {c.BaselineRssMb:F1} |");
        }

        var dbb = configs.FirstOrDefault(c => c.Kind == "Dbb");
        var orepa = configs.FirstOrDefault(c => c.Kind == "Orepa");
        if (dbb is not null && orepa is not null)
        {
            text.AppendLine().AppendLine($"OREPA vs DBB in this run: step time {dbb.StepMs / orepa.StepMs:F2}x faster (goal ≥ 1.5x), peak memory above baseline {orepa.PeakRssMb / dbb.PeakRssMb:P0} of DBB's (goal ≤ 50%).");
        }

        return text.ToString();
    }

    private sealed record ConfigCost(string Kind, double StepMs, double PeakRssMb, double BaselineRssMb);
}
