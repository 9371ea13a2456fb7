using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>nkr-study</c>: the same deployed classifier, epochs and schedule trained as plain, every linear kind and
/// every NKR generator, several seeds each; the folded ONNX model's test accuracy and training seconds per epoch.
/// Resumable: one JSON file per run under <c>OUT/nkr-study[.quick].runs/</c>.
/// </summary>
internal sealed class NkrStudySuite : IBenchmarkSuite
{
    public string Name => "nkr-study";

    /// <summary>The study's deployed classifier: narrower than the benchmarks' so that 39 runs fit in about two hours on two cores.</summary>
    public static ClassifierArchitecture Architecture => new(1, 28, 28, 10, [16, 32, 64], [1, 1, 1], [1, 2, 2]);

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var data = StudyData.Load(arguments);
        var epochs = arguments.Quick ? 1 : int.Parse(arguments.Get("epochs") ?? "3", CultureInfo.InvariantCulture);
        int[] seeds = arguments.Quick ? [1, 2] : [1, 2, 3];
        var specs = SelectSpecs(arguments.Get("configs"));
        var plan = from spec in specs
                   from seed in seeds
                   select ($"{spec.Name}-seed{seed}", (Func<object>)(() => RunOne(spec, data, epochs, seed)));
        var runs = new ResumableStudy(arguments, new { epochs }).RunAll(plan.ToList());
        var rows = runs.Select(r => new StudyRow(r["config"]!.GetValue<string>(), r["seed"]!.GetValue<int>(), r["testAccuracy"]!.GetValue<double>(), r["secondsPerEpoch"]!.GetValue<double>(), TrainLosses(r))).ToList();
        var chart = new BarChart("Fashion-MNIST test accuracy per block kind (same deployed network)", "test accuracy % (mean ± std over seeds)", [.. rows.GroupBy(r => r.Config).Select(g => Bar.Of(g.Key, g.Select(r => 100 * r.TestAccuracy)))]);
        return new SuiteResult(new { dataset = data.Description, epochs, architecture = Architecture, runs = rows }, Markdown(rows, data, epochs), chart);
    }

    /// <summary>Every linear kind and every NKR generator, or only those named in <c>--configs A,B</c>.</summary>
    private static List<BlockSpec> SelectSpecs(string? names)
    {
        var all = BenchmarkModels.LinearSpecs.Concat(BenchmarkModels.NkrSpecs).ToList();
        if (names is null)
        {
            return all;
        }

        return names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(name => all.FirstOrDefault(spec => string.Equals(spec.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"--configs: unknown configuration '{name}'. Known: {string.Join(", ", all.Select(s => s.Name))}."))
            .ToList();
    }

    private static StudyRow RunOne(BlockSpec spec, StudyData data, int epochs, int seed)
    {
        var result = ClassifierRun.Run(spec, Architecture, data, epochs, seed);
        return new StudyRow(spec.Name, seed, result.TestAccuracy, result.SecondsPerEpoch, [.. result.Training.History.Select(p => p.TrainLoss)]);
    }

    /// <summary>Runs measured before the loss was recorded have none.</summary>
    private static double[]? TrainLosses(System.Text.Json.Nodes.JsonObject run) =>
        run["trainLossPerEpoch"]?.AsArray().Select(loss => loss!.GetValue<double>()).ToArray();

    private static string Markdown(IReadOnlyList<StudyRow> rows, StudyData data, int epochs)
    {
        var text = new StringBuilder();
        var a = Architecture;
        text.AppendLine($"Data: {data.Description}. Deployed classifier {a.InputChannels}x{a.Height}x{a.Width}, widths [{string.Join(", ", a.StageWidths)}], depths [{string.Join(", ", a.StageDepths)}], strides [{string.Join(", ", a.StageStrides)}]; {epochs} epoch(s), SGD momentum 0.9, peak learning rate 0.05, warm-up then cosine, batch 64, weight decay 5e-4, no augmentation. Accuracy is the folded ONNX model's on all test images. Δ and Welch's t are against Plain; |t| > {GroupComparison.NoiseThreshold} is called beyond seed noise.").AppendLine();
        text.AppendLine("| config | seeds | test accuracy % (mean ± std) | Δ vs plain | Welch t | verdict | s/epoch (mean) | s/epoch / plain |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        var baseline = rows.Where(r => r.Config == nameof(BlockKind.Plain)).Select(r => r.TestAccuracy).ToList();
        var baseSeconds = rows.Where(r => r.Config == nameof(BlockKind.Plain)).Select(r => r.SecondsPerEpoch).DefaultIfEmpty(double.NaN).Average();
        foreach (var group in rows.GroupBy(r => r.Config))
        {
            var comparison = GroupComparison.Of(group.Key, group.Select(r => r.TestAccuracy).ToList(), baseline);
            var seconds = group.Average(r => r.SecondsPerEpoch);
            text.AppendLine($"| {group.Key} | {group.Count()} | {comparison.Accuracy.Format(100)} | {comparison.FormatDifference()} | {comparison.FormatT()} | {comparison.Verdict} | {seconds:F1} | {seconds / baseSeconds:F2} |");
        }

        return text.ToString();
    }

    private sealed record StudyRow(string Config, int Seed, double TestAccuracy, double SecondsPerEpoch, double[]? TrainLossPerEpoch);
}
