using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tools;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>long-study</c>: the short studies' techniques on a long schedule (30 epochs): the nkr-study's deployed
/// classifier trained as plain, RepVGG, MobileOne, DBB, OREPA, the two best NKR generators, plain and MobileOne with
/// kernel reactivation every 3 epochs, and a residual classifier from a poor stride initialisation with strided
/// convolution and with DiffStride; 3 seeds each, the folded ONNX model's accuracy on the full test set, seconds per
/// epoch, the training curves and the stride trajectory. Resumable: one JSON file per run.
/// </summary>
internal sealed class LongStudySuite : IBenchmarkSuite
{
    private const int ReactivationInterval = 3;

    /// <summary>The residual classifier's poor initial strides: all the downsampling at the first position, none at the second (diffstride-study: 1.4 points below 2, 2 for strided convolution).</summary>
    private static readonly int[] PoorStrides = [3, 1];

    public string Name => "long-study";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var data = LongStudyData(arguments);
        var epochs = arguments.Quick ? ReactivationInterval + 1 : int.Parse(arguments.Get("epochs") ?? "30", CultureInfo.InvariantCulture);
        int[] seeds = arguments.Quick ? [1] : [1, 2, 3];
        var configs = Select(Configs(), arguments.Get("configs"));
        var plan = from config in configs
                   from seed in seeds
                   select ($"{config.Name}-seed{seed}", (Func<object>)(() => RunOne(config, data, epochs, seed)));
        var runs = new ResumableStudy(arguments, new { epochs }).RunAll(plan.ToList()).Select(r => r.Deserialize<LongRun>(BenchmarkRunner.JsonOptions)!).ToList();
        var stem = arguments.OutputStem;
        var plots = Plots(runs, stem);
        var chart = new BarChart($"Fashion-MNIST test accuracy after {epochs} epochs ({data.Train.Count:N0} training images)", "test accuracy % (mean ± std over seeds)", [.. runs.GroupBy(r => r.Config).Select(g => Bar.Of(g.Key, g.Select(r => 100 * r.TestAccuracy)))]);
        var json = new { dataset = data.Description, epochs, architecture = NkrStudySuite.Architecture, reactivationInterval = ReactivationInterval, poorStrides = PoorStrides, runs };
        return new SuiteResult(json, Markdown(runs, data, epochs, plots), chart);
    }

    /// <summary>The 10,000-image class-balanced subset: the first 1,000 images of each class of the full training set in file order (what the library embeds), and the full test set.</summary>
    private static StudyData LongStudyData(BenchmarkArguments arguments)
    {
        var directory = arguments.Get("data") ?? FashionMnist.DefaultDirectory;
        if (!File.Exists(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")) && !File.Exists(Path.Combine(directory, "t10k-labels-idx1-ubyte")))
        {
            throw new ArgumentException($"long-study needs the full Fashion-MNIST test set: '{directory}' has no t10k files. Install the Debian package dataset-fashion-mnist or pass --data DIR.");
        }

        var (_, test) = FashionMnist.Load(directory);
        var (train, _) = FashionMnist.LoadEmbedded(); // the first 1,000 training images of each class in file order (Data/FashionMnist/README.md)
        if (arguments.Quick)
        {
            (train, test) = (train.Take(2000), test.Take(500));
        }

        var description = arguments.Quick
            ? $"training: the first {train.Count:N0} images of the embedded subset (the first 1,000 images of each class of the Fashion-MNIST training set in file order), so not exactly balanced; test: the first {test.Count:N0} images of the test set from {directory}"
            : $"training: the first {train.Count / 10:N0} images of each class of the Fashion-MNIST training set in file order ({train.Count:N0}); test: all {test.Count:N0} images of the test set from {directory}";
        return new StudyData(train.ToTensorDataset(), test.ToTensorDataset(), description);
    }

    private static List<LongConfig> Configs()
    {
        var reactivation = new KernelReactivationOptions { Interval = ReactivationInterval };
        LongConfig Vgg(BlockSpec spec, bool reactivate = false) => new(spec.Name + (reactivate ? "+reactivation" : string.Empty), () => new VggClassifier(NkrStudySuite.Architecture, spec), reactivate ? reactivation : null, null);
        LongConfig ResNet(DownsamplingKind kind) => new($"ResNet-{kind}-init{string.Join("x", PoorStrides)}", () => new ResNetClassifier(ResNetArchitecture, new DownsamplingSpec(kind)), null, kind);
        var mobileOne = new BlockSpec(BlockKind.MobileOne);
        return
        [
            Vgg(BlockKind.Plain), Vgg(BlockKind.RepVgg), Vgg(mobileOne), Vgg(BlockKind.Dbb), Vgg(BlockKind.Orepa),
            Vgg(new BlockSpec(BlockKind.Nkr, KernelGenerator.SelfAttention)), Vgg(new BlockSpec(BlockKind.Nkr, KernelGenerator.SplitAttention)),
            Vgg(BlockKind.Plain, reactivate: true), Vgg(mobileOne, reactivate: true),
            ResNet(DownsamplingKind.StridedConvolution), ResNet(DownsamplingKind.DiffStride),
        ];
    }

    private static ClassifierArchitecture ResNetArchitecture => new(1, 28, 28, 10, [16, 32, 64], [1, 1, 1], [1, .. PoorStrides]);

    private static List<LongConfig> Select(List<LongConfig> all, string? names) => names is null
        ? all
        : [.. names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(name => all.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) ?? throw new ArgumentException($"--configs: unknown configuration '{name}'. Known: {string.Join(", ", all.Select(c => c.Name))}."))];

    private static LongRun RunOne(LongConfig config, StudyData data, int epochs, int seed)
    {
        manual_seed(seed);
        using var model = config.Create();
        var reactivation = config.Reactivation is { } options ? new KernelReactivation(options) : null;
        ITrainingHook[] hooks = [.. new ITrainingHook?[] { reactivation, config.Downsampling == DownsamplingKind.DiffStride ? new StrideComplexityRegularizer(0) : null }.OfType<ITrainingHook>()];
        var training = TrainingLoop.Train(model, data.Train, ClassifierRun.Settings(epochs, seed, hooks));
        var a = NkrStudySuite.Architecture;
        var graph = GraphFolder.Fold(model, new PlainShape(a.InputChannels, a.Height, a.Width), new PlainNormalize(ClassifierRun.Mean, ClassifierRun.Std));
        var accuracy = ClassifierRun.OnnxAccuracy(OnnxExporter.Export(graph, new OnnxExportOptions()), data.Test);
        return new LongRun(
            config.Name,
            seed,
            epochs,
            accuracy,
            training.TrainSeconds / epochs,
            [.. training.History.Select(p => p.TrainLoss)],
            [.. training.History.Select(p => p.TrainMetric)],
            [.. training.History.Select(p => TrainingCurves.Strides(p.Message) ?? [])],
            reactivation?.KernelsReactivated ?? 0);
    }

    /// <summary>Draws the training loss per epoch of every config (seed 1) and the DiffStride stride trajectories; returns the PNG names drawn.</summary>
    private static List<string> Plots(List<LongRun> runs, string stem)
    {
        var drawn = new List<string>();
        var losses = runs.Where(r => r.Seed == 1).Select(r => new { label = r.Config, ys = r.TrainLoss }).ToList();
        var strides = runs.Where(r => r.StridesPerEpoch.Any(s => s.Length > 0)).SelectMany(r => Enumerable.Range(0, r.StridesPerEpoch.Max(s => s.Length)).Select(i => new { label = $"seed {r.Seed}, layer {(i / 2) + 1} {(i % 2 == 0 ? "height" : "width")}", ys = r.StridesPerEpoch.Select(s => i < s.Length ? s[i] : double.NaN).ToArray() })).ToList();
        foreach (var (name, title, valueName, series) in new[] { ("curves", "Training loss per epoch (seed 1)", "training loss", losses), ("strides", "DiffStride: learned strides per epoch (poor initialisation 3, 1)", "stride", strides) })
        {
            if (series.Count == 0)
            {
                continue;
            }

            var path = $"{stem}-{name}";
            File.WriteAllText(path + ".chart.json", JsonSerializer.Serialize(new { title, xName = "epoch", valueName, series }, BenchmarkRunner.JsonOptions));
            if (PlotTool.Draw("lines", path + ".chart.json", path + ".png") is { } problem)
            {
                Console.WriteLine($"no {name} plot: {problem}");
            }
            else
            {
                drawn.Add(Path.GetFileName(path + ".png"));
            }
        }

        return drawn;
    }

    private static string Markdown(List<LongRun> runs, StudyData data, int epochs, List<string> plots)
    {
        var text = new StringBuilder();
        var a = NkrStudySuite.Architecture;
        text.AppendLine($"Data: {data.Description}. VGG-style classifier (the nkr-study's: widths [{string.Join(", ", a.StageWidths)}], strides [{string.Join(", ", a.StageStrides)}]) for every block kind; the two ResNet rows use a residual classifier of the same widths whose downsampling positions start at strides {string.Join(", ", PoorStrides)}. {epochs} epochs, SGD momentum 0.9, peak learning rate 0.05, warm-up then cosine, batch 64, weight decay 5e-4, no augmentation; reactivation every {ReactivationInterval} epochs. Accuracy of the folded ONNX model on the test images above. Δ and Welch's t against Plain (ResNet-DiffStride against ResNet-StridedConvolution); |t| > {GroupComparison.NoiseThreshold} is called beyond seed noise.").AppendLine();
        text.AppendLine("| config | seeds | test accuracy % (mean ± std) | Δ vs baseline | Welch t | verdict | s/epoch | final strides (seed mean) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        foreach (var group in runs.GroupBy(r => r.Config))
        {
            var baselineName = group.Key.StartsWith("ResNet-", StringComparison.Ordinal) ? $"ResNet-{DownsamplingKind.StridedConvolution}-init{string.Join("x", PoorStrides)}" : nameof(BlockKind.Plain);
            var baseline = runs.Where(r => r.Config == baselineName).Select(r => r.TestAccuracy).ToList();
            var comparison = GroupComparison.Of(group.Key, [.. group.Select(r => r.TestAccuracy)], baseline);
            var final = group.Select(r => r.StridesPerEpoch.LastOrDefault() ?? []).Where(s => s.Length > 0).ToList();
            var strides = final.Count == 0 ? "–" : string.Join(", ", Enumerable.Range(0, final[0].Length).Select(i => final.Average(s => s[i]).ToString("F2", CultureInfo.InvariantCulture)));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {comparison.Accuracy.Format(100)} | {(group.Key == baselineName ? "–" : comparison.FormatDifference())} | {(group.Key == baselineName ? "–" : comparison.FormatT())} | {(group.Key == baselineName ? "baseline" : comparison.Verdict)} | {group.Average(r => r.SecondsPerEpoch):F1} | {strides} |");
        }

        foreach (var plot in plots)
        {
            text.AppendLine().AppendLine($"![{plot}]({plot})");
        }

        return text.ToString();
    }

    private sealed record LongConfig(string Name, Func<nn.Module<Tensor, Tensor>> Create, KernelReactivationOptions? Reactivation, DownsamplingKind? Downsampling);

    private sealed record LongRun(string Config, int Seed, int Epochs, double TestAccuracy, double SecondsPerEpoch, double[] TrainLoss, double[] TrainAccuracy, double[][] StridesPerEpoch, int KernelsReactivated);
}
