using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>diffstride-study</c>: a small ResNet-style classifier whose two downsampling positions start from several
/// stride pairs in [1, 3], trained with strided convolution, fixed spectral pooling and DiffStride (plus DiffStride
/// with the complexity regulariser at two weights); test accuracy, learned strides, relative cost and step time.
/// Resumable: one JSON file per run.
/// </summary>
internal sealed class DiffStrideStudySuite : IBenchmarkSuite
{
    private const int BatchSize = 64;

    public string Name => "diffstride-study";

    private static ClassifierArchitecture Architecture(int[] strides) => new(1, 28, 28, 10, [16, 32, 64], [1, 1, 1], [1, .. strides]);

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        // The embedded subset and two epochs keep the 33 runs under an hour on two cores; --data DIR uses a full IDX set.
        var data = StudyData.Load(arguments, preferFull: false);
        var epochs = arguments.Quick ? 1 : int.Parse(arguments.Get("epochs") ?? "2", CultureInfo.InvariantCulture);
        int[] seeds = arguments.Quick ? [1, 2] : [1, 2, 3];
        int[][] inits = arguments.Quick ? [[2, 2], [3, 1]] : [[2, 2], [3, 1], [1, 3]];
        double[] weights = arguments.Quick ? [1] : [1, 10];
        var plan = (from init in inits
                    from method in Enum.GetValues<DownsamplingKind>()
                    from seed in seeds
                    select new Planned(method, init, 0, seed))
            .Concat(from weight in weights from seed in seeds select new Planned(DownsamplingKind.DiffStride, [2, 2], weight, seed))
            .Select(p => (p.Key, (Func<object>)(() => RunOne(p, data, epochs))));
        var runs = new ResumableStudy(arguments, new { epochs }).RunAll(plan.ToList());
        var rows = runs.Select(r => System.Text.Json.JsonSerializer.Deserialize<StudyRow>(r.ToJsonString(), BenchmarkRunner.JsonOptions)!).ToList();
        rows = [.. rows.Select(r => r with { StepMsRatioToStrided = r.StepMs / rows.Where(s => s.Method == nameof(DownsamplingKind.StridedConvolution) && s.InitStrides.SequenceEqual(r.InitStrides)).Average(s => s.StepMs) })];
        var chart = new BarChart("Test accuracy per downsampling, regulariser weight and initial strides", "test accuracy % (mean ± std over seeds)", [.. rows.GroupBy(r => $"{r.Method} λ{r.Lambda} init {string.Join(",", r.InitStrides)}").Select(g => Bar.Of(g.Key, g.Select(r => 100 * r.TestAccuracy)))]);
        return new SuiteResult(new { dataset = data.Description, epochs, runs = rows }, Markdown(rows, data, epochs), chart);
    }

    private static StudyRow RunOne(Planned planned, StudyData data, int epochs)
    {
        manual_seed(planned.Seed);
        using var model = new ResNetClassifier(Architecture(planned.Init), planned.Method);
        ITrainingHook[] hooks = planned.Method == DownsamplingKind.StridedConvolution ? [] : [new StrideComplexityRegularizer(planned.Weight)];
        var training = TrainingLoop.Train(model, data.Train, ClassifierRun.Settings(epochs, planned.Seed, hooks));
        var accuracy = ModelEvaluation.Accuracy(model, new BatchSource(data.Test, ClassifierRun.Mean, ClassifierRun.Std));
        var layers = Downsamplers.In(model);
        var learned = layers.Count == 0
            ? planned.Init.Select(s => new[] { (double)s, s }).ToArray()
            : layers.Select(l => l.StrideParameter.detach().to(float64).clamp_min(1).data<double>().Select(v => Math.Round(v, 3)).ToArray()).Select(v => new[] { v[0], v[^1] }).ToArray();
        var steps = epochs * (int)Math.Ceiling(data.Train.Count / (double)BatchSize);
        return new StudyRow(planned.Method.ToString(), planned.Weight, planned.Init, learned, planned.Seed, accuracy, training.TrainSeconds * 1000 / steps, StrideComplexityRegularizer.Cost(learned.Select(s => (s[0], s[1]))), null);
    }

    private static string Markdown(IReadOnlyList<StudyRow> rows, StudyData data, int epochs)
    {
        var text = new StringBuilder();
        var a = Architecture([2, 2]);
        text.AppendLine($"Data: {data.Description}. ResNet-style classifier 1x28x28: 3×3 stem, one basic block per stage, widths [{string.Join(", ", a.StageWidths)}]; the second and third stages are the downsampling positions, their initial strides listed per row. Strided convolution strides the block's first convolution and projection; spectral pooling (fixed) and DiffStride (learned) follow a stride-1 convolution, shared by the main path and the projection, smoothness R = 4. {epochs} epoch(s), SGD momentum 0.9, peak learning rate 0.05 (strides included, no weight decay on them), warm-up then cosine, batch {BatchSize}, weight decay 5e-4, no augmentation. Accuracy in TorchSharp eval mode on all test images. Δ and Welch's t against strided convolution with the same initial strides; |t| > {GroupComparison.NoiseThreshold} is called beyond seed noise. Cost = Σ_l Π_(i≤l) 1/(S_h·S_w) at the final strides (the complexity regulariser's measure of the resolution kept; lower is cheaper). Spectral layers report their effective strides, which the projection of D3 raises to n/(n − R) where the initial stride is 1. Step ratio: training time per step over strided convolution's mean for the same initial strides.").AppendLine();
        text.AppendLine("| method | λ | initial strides | seeds | test accuracy % (mean ± std) | Δ vs strided | Welch t | verdict | learned strides (mean, h×w per layer) | cost | step ms | step / strided |");
        text.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |");
        foreach (var group in rows.GroupBy(r => (r.Method, r.Lambda, Init: string.Join("-", r.InitStrides))))
        {
            var baseline = rows.Where(r => r.Method == nameof(DownsamplingKind.StridedConvolution) && string.Join("-", r.InitStrides) == group.Key.Init).Select(r => r.TestAccuracy).ToList();
            var comparison = GroupComparison.Of(group.Key.Method, group.Select(r => r.TestAccuracy).ToList(), baseline);
            var isBaseline = group.Key.Method == nameof(DownsamplingKind.StridedConvolution);
            var layers = group.First().LearnedStrides.Length;
            var learned = string.Join(", ", Enumerable.Range(0, layers).Select(l => string.Create(CultureInfo.InvariantCulture, $"{group.Average(r => r.LearnedStrides[l][0]):F2}×{group.Average(r => r.LearnedStrides[l][1]):F2}")));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {group.Key.Method} | {group.Key.Lambda} | {group.Key.Init.Replace('-', ',')} | {group.Count()} | {comparison.Accuracy.Format(100)} | {(isBaseline ? "–" : comparison.FormatDifference())} | {(isBaseline ? "–" : comparison.FormatT())} | {(isBaseline ? "baseline" : comparison.Verdict)} | {learned} | {group.Average(r => r.Cost):F3} | {group.Average(r => r.StepMs):F1} | {group.Average(r => r.StepMsRatioToStrided ?? double.NaN):F2} |"));
        }

        return text.ToString();
    }

    private sealed record Planned(DownsamplingKind Method, int[] Init, double Weight, int Seed)
    {
        public string Key => string.Create(CultureInfo.InvariantCulture, $"{Method}-init{string.Join("x", Init)}{(Weight > 0 ? $"-lambda{Weight}" : string.Empty)}-seed{Seed}");
    }

    private sealed record StudyRow(string Method, double Lambda, int[] InitStrides, double[][] LearnedStrides, int Seed, double TestAccuracy, double StepMs, double Cost, double? StepMsRatioToStrided);
}
