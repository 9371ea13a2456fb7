using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>reactivation-study</c>: a plain ResNet-style classifier and a RepVGG classifier, each trained with and
/// without kernel reactivation on the same schedule, several seeds; test accuracy (TorchSharp, eval mode — equal to
/// the folded model's for RepVGG) and kernels reactivated. Resumable: one JSON file per run.
/// </summary>
internal sealed class ReactivationStudySuite : IBenchmarkSuite
{
    public string Name => "reactivation-study";

    private static ClassifierArchitecture Architecture => new(1, 28, 28, 10, [16, 32, 64], [1, 1, 1], [1, 2, 2]);

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        // The embedded subset keeps 12 runs of 6 epochs near ten minutes on two cores; --data DIR uses a full IDX set.
        var data = StudyData.Load(arguments, preferFull: false);
        var epochs = arguments.Quick ? 2 : int.Parse(arguments.Get("epochs") ?? "6", CultureInfo.InvariantCulture);
        var options = new KernelReactivationOptions { Interval = arguments.Quick ? 1 : 2 };
        int[] seeds = arguments.Quick ? [1] : [1, 2, 3];
        string[] configs = ["ResNet", "RepVgg"];
        var plan = from config in configs
                   from reactivation in new[] { false, true }
                   from seed in seeds
                   select ($"{config}-{(reactivation ? "reactivation" : "baseline")}-seed{seed}", (Func<object>)(() => RunOne(config, reactivation ? options : null, data, epochs, seed)));
        var runs = new ResumableStudy(arguments, new { epochs }).RunAll(plan.ToList());
        var rows = runs.Select(r => new StudyRow(r["config"]!.GetValue<string>(), r["reactivation"]!.GetValue<bool>(), r["seed"]!.GetValue<int>(), r["testAccuracy"]!.GetValue<double>(), r["kernelsReactivated"]!.GetValue<int>(), r["events"]!.GetValue<string>())).ToList();
        var chart = new BarChart("Test accuracy with and without kernel reactivation", "test accuracy % (mean ± std over seeds)", [.. rows.GroupBy(r => $"{r.Config}{(r.Reactivation ? " + reactivation" : string.Empty)}").Select(g => Bar.Of(g.Key, g.Select(r => 100 * r.TestAccuracy)))]);
        return new SuiteResult(new { dataset = data.Description, epochs, reactivation = options, runs = rows }, Markdown(rows, data, epochs, options), chart);
    }

    private static StudyRow RunOne(string config, KernelReactivationOptions? reactivation, StudyData data, int epochs, int seed)
    {
        manual_seed(seed);
        using nn.Module<Tensor, Tensor> model = config == "ResNet" ? new ResNetClassifier(Architecture) : new VggClassifier(Architecture, BlockKind.RepVgg);
        var hook = reactivation is null ? null : new KernelReactivation(reactivation);
        TrainingLoop.Train(model, data.Train, ClassifierRun.Settings(epochs, seed, hook is null ? [] : [hook]));
        var accuracy = ModelEvaluation.Accuracy(model, new BatchSource(data.Test, ClassifierRun.Mean, ClassifierRun.Std));
        var events = string.Join("; ", hook?.Events.Select(e => $"epoch {e.Epoch}: γ {e.Gamma:F3}, {e.FiltersSelected} filters, {e.KernelsRescaled} kernels") ?? []);
        return new StudyRow(config, reactivation is not null, seed, accuracy, hook?.KernelsReactivated ?? 0, events);
    }

    private static string Markdown(IReadOnlyList<StudyRow> rows, StudyData data, int epochs, KernelReactivationOptions options)
    {
        var text = new StringBuilder();
        var a = Architecture;
        text.AppendLine($"Data: {data.Description}. Classifiers: ResNet-style (3×3 stem, one basic residual block per stage) and VGG-style with RepVGG blocks, widths [{string.Join(", ", a.StageWidths)}], strides [{string.Join(", ", a.StageStrides)}]; {epochs} epochs, SGD momentum 0.9, peak learning rate 0.05, warm-up then cosine, batch 64, weight decay 5e-4, no augmentation. Reactivation: α {options.Alpha}, β {options.Beta}, γ₀ {options.Gamma0}, every {options.Interval} epochs, on every trainable 4-D convolution weight. Test accuracy in TorchSharp eval mode on all test images. |t| > {GroupComparison.NoiseThreshold} (Welch) is called beyond seed noise.").AppendLine();
        text.AppendLine("| config | reactivation | seeds | test accuracy % (mean ± std) | Δ vs without | Welch t | verdict | kernels reactivated (mean) |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |");
        foreach (var config in rows.GroupBy(r => r.Config))
        {
            var baseline = config.Where(r => !r.Reactivation).Select(r => r.TestAccuracy).ToList();
            foreach (var group in config.GroupBy(r => r.Reactivation))
            {
                var comparison = GroupComparison.Of(config.Key, group.Select(r => r.TestAccuracy).ToList(), baseline);
                var verdict = group.Key ? comparison.Verdict : "baseline";
                text.AppendLine($"| {config.Key} | {(group.Key ? "yes" : "no")} | {group.Count()} | {comparison.Accuracy.Format(100)} | {(group.Key ? comparison.FormatDifference() : "–")} | {(group.Key ? comparison.FormatT() : "–")} | {verdict} | {group.Average(r => r.KernelsReactivated):F0} |");
            }
        }

        text.AppendLine().AppendLine("Events per run:").AppendLine();
        foreach (var row in rows.Where(r => r.Reactivation))
        {
            text.AppendLine($"- {row.Config} seed {row.Seed}: {row.Events}");
        }

        return text.ToString();
    }

    private sealed record StudyRow(string Config, bool Reactivation, int Seed, double TestAccuracy, int KernelsReactivated, string Events);
}
