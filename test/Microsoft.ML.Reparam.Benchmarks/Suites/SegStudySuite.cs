using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>seg-study</c>: the same deployed U-Net and schedule trained on the ISBI 2012 membrane slices as plain,
/// RepVGG, DBB, OREPA, MobileOne and the classification study's best NKR generator (self-attention), several seeds each;
/// the folded model's validation mean IoU, foreground (membrane) IoU and pixel error on slices 20–23, and training
/// seconds per epoch. Needs <c>--data DIR</c> (the folder with image/ and label/). Resumable: one JSON file per run
/// under <c>OUT/seg-study[.quick].runs/</c>.
/// </summary>
internal sealed class SegStudySuite : IBenchmarkSuite
{
    private static readonly BlockSpec[] Specs =
    [
        BlockKind.Plain, BlockKind.RepVgg, BlockKind.Dbb, BlockKind.Orepa, new BlockSpec(BlockKind.MobileOne), new BlockSpec(BlockKind.Nkr, KernelGenerator.SelfAttention),
    ];

    public string Name => "seg-study";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var directory = arguments.Get("data") ?? throw new ArgumentException("seg-study needs --data DIR: a folder with image/N.png and label/N.png (../shared/data/segmentation/isbi2012-membrane).");
        var train = SegmentationImages.Load(directory, [.. Enumerable.Range(0, 20)]);
        var validation = SegmentationImages.Load(directory, [.. Enumerable.Range(20, 4)]);
        // 256×256 (the slices resized, masks with nearest neighbour) and 20 epochs keep 18 runs near 40 minutes on 2 cores:
        // DBB and MobileOne steps cost about 4× a plain step; --size 512 --epochs N trains at the slices' own size.
        var epochs = int.Parse(arguments.Get("epochs") ?? (arguments.Quick ? "2" : "20"), CultureInfo.InvariantCulture);
        var size = int.Parse(arguments.Get("size") ?? (arguments.Quick ? "128" : "256"), CultureInfo.InvariantCulture);
        BlockSpec[] specs = arguments.Quick ? [BlockKind.Plain, BlockKind.RepVgg] : Specs;
        int[] seeds = arguments.Quick ? [1] : [1, 2, 3];
        var plan = from spec in specs
                   from seed in seeds
                   select ($"{spec.Name}-seed{seed}", (Func<object>)(() => RunOne(spec, seed, epochs, size, train, validation)));
        var runs = new ResumableStudy(arguments, new { epochs, imageSize = $"{size}x{size}" }).RunAll(plan.ToList());
        var rows = runs.Select(r => new SegRun(r["config"]!.GetValue<string>(), r["seed"]!.GetValue<int>(), r["meanIoU"]!.GetValue<double>(), r["foregroundIoU"]!.GetValue<double>(), r["pixelError"]!.GetValue<double>(), r["secondsPerEpoch"]!.GetValue<double>())).ToList();
        var schedule = Options(BlockKind.Plain, 1, epochs, size);
        var chart = new BarChart("Validation mean IoU per block kind (same deployed U-Net)", "mean IoU (mean ± std over seeds)", [.. rows.GroupBy(r => r.Config).Select(g => Bar.Of(g.Key, g.Select(r => r.MeanIoU)))]);
        return new SuiteResult(new { dataset = directory, imageSize = $"{size}x{size}", epochs, widths = schedule.StageWidths, runs = rows }, Markdown(rows, directory, epochs, size), chart);
    }

    /// <summary>The study's schedule: U-Net widths 16/32/64, AdamW 3e-3 with warm-up and cosine decay, batch 2, flips and 90° turns; slices 255 = cell (class 0), 0 = membrane (class 1).</summary>
    private static ReparamSegmentationOptions Options(BlockSpec spec, int seed, int epochs, int size) => new()
    {
        BlockKind = spec.Kind,
        KernelGenerator = spec.Generator,
        ClassNames = ["cell", "membrane"],
        MaskValues = new Dictionary<int, int> { [255] = 0, [0] = 1 },
        StageWidths = [16, 32, 64],
        ImageWidth = size,
        ImageHeight = size,
        Epochs = epochs,
        BatchSize = 2,
        HorizontalFlip = true,
        VerticalFlip = true,
        Rotate90 = true,
        ValidationFraction = 0,
        FoldCheckImages = 2,
        InputMean = [0.5f],
        InputStd = [0.25f],
        Seed = seed,
    };

    private static SegRun RunOne(BlockSpec spec, int seed, int epochs, int size, SegmentationImages train, SegmentationImages validation)
    {
        var mlContext = new MLContext(seed);
        var watch = Stopwatch.StartNew();
        using var model = mlContext.Transforms.ReparamSegmentation(Options(spec, seed, epochs, size)).Fit(train.ToDataView(mlContext));
        var secondsPerEpoch = model.Training.TrainSeconds / epochs;
        var metrics = model.Evaluate(validation.ToDataView(mlContext));
        Console.WriteLine($"{spec.Name} seed {seed}: mIoU {metrics.MeanIoU:F4}, membrane IoU {metrics.PerClassIoU[1]:F4}, pixel error {1 - metrics.PixelAccuracy:F4}, {secondsPerEpoch:F1} s/epoch, fold {model.FoldError}, fit {watch.Elapsed.TotalSeconds:F0} s");
        return new SegRun(spec.Name, seed, metrics.MeanIoU, metrics.PerClassIoU[1], 1 - metrics.PixelAccuracy, secondsPerEpoch);
    }

    private static string Markdown(IReadOnlyList<SegRun> rows, string directory, int epochs, int size)
    {
        var text = new StringBuilder();
        text.AppendLine($"Data: ISBI 2012 membrane slices from `{directory}`, slices 0–19 train, 20–23 validate, resized to {size}×{size} (masks with nearest neighbour; metrics at that size). Deployed U-Net widths [16, 32, 64] (two stride-2 levels down, nearest upsampling to the skip's size, skip concatenation, 1×1 head), one block per stage; {epochs} epochs, AdamW 3e-3 with one warm-up epoch then cosine decay, weight decay 1e-4, batch 2, random flips and 90° turns, no validation split (the last epoch's weights). Metrics of the folded model (the fitted transformer's ONNX scoring) on the 4 validation slices: mean IoU over cell and membrane, membrane (foreground) IoU, pixel error = 1 − pixel accuracy. Δ and Welch's t are against Plain on mean IoU; |t| > {GroupComparison.NoiseThreshold} is called beyond seed noise.").AppendLine();
        text.AppendLine("| config | seeds | mean IoU (mean ± std) | Δ mIoU vs plain | Welch t | verdict | membrane IoU | pixel error | s/epoch |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
        var baseline = rows.Where(r => r.Config == nameof(BlockKind.Plain)).Select(r => r.MeanIoU).ToList();
        foreach (var group in rows.GroupBy(r => r.Config))
        {
            var comparison = GroupComparison.Of(group.Key, [.. group.Select(r => r.MeanIoU)], baseline);
            text.AppendLine($"| {group.Key} | {group.Count()} | {comparison.Accuracy.Format(100)} | {comparison.FormatDifference()} | {comparison.FormatT()} | {comparison.Verdict} | {Summary.Of(group.Select(r => r.ForegroundIoU)).Format(100)} | {Summary.Of(group.Select(r => r.PixelError)).Format(100)} | {group.Average(r => r.SecondsPerEpoch):F1} |");
        }

        text.AppendLine().AppendLine("IoU and pixel error in percent. The published reference (DBB on Cityscapes with ResNet-18, 70.18 → 71.35 mIoU; OREPA with PSPNet/ResNet-50, 74.47 → 75.47) is about one point of mIoU for the same deployed network.");
        return text.ToString();
    }

    private sealed record SegRun(string Config, int Seed, double MeanIoU, double ForegroundIoU, double PixelError, double SecondsPerEpoch);
}
