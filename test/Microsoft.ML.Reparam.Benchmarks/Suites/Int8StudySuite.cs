using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Quantization;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Tools;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>int8-study</c>: the nkr-study's deployed classifier trained as plain, RepVGG, QARepVGG, DBB, OREPA and the
/// best NKR generator, several seeds each; the folded network's float and INT8 (post-training static, QDQ) test
/// accuracy, and ONNX Runtime latency of both at batch 1 and 64, measured in the same run. Resumable: one JSON file per
/// run under <c>OUT/int8-study[.quick].runs/</c>. Also draws the folded weights' per-channel histogram of seed 1 for
/// RepVGG and QARepVGG (docs/quantization.md); with <c>--sr-data DIR</c>, adds the super-resolution part
/// (<see cref="Int8SuperResolution"/>).
/// </summary>
internal sealed class Int8StudySuite : IBenchmarkSuite
{
    private const int CalibrationImages = 256;
    private const int HistogramBins = 40;

    private static readonly BlockSpec[] Specs =
    [
        BlockKind.Plain, BlockKind.RepVgg, BlockKind.QaRepVgg, BlockKind.Dbb, BlockKind.Orepa, new BlockSpec(BlockKind.Nkr, KernelGenerator.SelfAttention),
    ];

    public string Name => "int8-study";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var data = StudyData.Load(arguments);
        var epochs = arguments.Quick ? 1 : int.Parse(arguments.Get("epochs") ?? "3", CultureInfo.InvariantCulture);
        int[] seeds = arguments.Quick ? [1, 2] : [1, 2, 3];
        var plan = from spec in Specs
                   from seed in seeds
                   select ($"{spec.Name}-seed{seed}", (Func<object>)(() => RunOne(spec, data, epochs, seed)));
        var runs = new ResumableStudy(arguments, new { epochs }).RunAll(plan.ToList()).Select(r => r.Deserialize<Int8Run>(BenchmarkRunner.JsonOptions)!).ToList();
        var flat = runs.SelectMany(r => r.Latency.Select(l => new { config = r.Config, seed = r.Seed, floatAccuracy = r.FloatAccuracy, int8Accuracy = r.Int8Accuracy, floatMs = l.FloatMs, int8Ms = l.Int8Ms, batch = l.Batch, kernelMaxAbsError = r.KernelMaxAbsError, int8AccuracyFullRange = r.Int8AccuracyFullRange, kernelMaxAbsErrorFullRange = r.KernelMaxAbsErrorFullRange })).ToList();
        var superResolution = arguments.Get("sr-data") is { } root
            ? new ResumableStudy(arguments, new { epochs }).RunAll([.. Int8SuperResolution.Plan(root, seeds, arguments.Quick)]).Select(r => r.Deserialize<Int8SuperResolution.SrRun>(BenchmarkRunner.JsonOptions)!).ToList()
            : [];
        var histogram = DrawHistograms(arguments, runs);
        var chart = new BarChart("INT8 accuracy drop per block kind (same deployed network, post-training quantization)", "float − INT8 test accuracy, points (mean ± std over seeds)", [.. runs.GroupBy(r => r.Config).Select(g => Bar.Of(g.Key, g.Select(r => 100 * (r.FloatAccuracy - r.Int8Accuracy))))]);
        var json = new { dataset = data.Description, epochs, architecture = NkrStudySuite.Architecture, calibrationImages = CalibrationImages, quantization = "QDQ, per-channel symmetric 7-bit weights, per-tensor asymmetric uint8 activations, percentile 99.99 calibration", runs = flat, operators = runs.Select(r => new { r.Config, r.Seed, r.IntegerOperators, r.FloatOperators }), weightHistograms = runs.Where(r => r.WeightHistogram is not null).Select(r => new { r.Config, r.Seed, r.WeightHistogram }), superResolution = SuperResolutionRows(superResolution) };
        var markdown = Markdown(runs, data, epochs, histogram) + (superResolution.Count > 0 ? Int8SuperResolution.Markdown(superResolution) : "\nSuper-resolution: not measured in this run (pass --sr-data DIR with T91/ and Set5/).\n");
        return new SuiteResult(json, markdown, chart);
    }

    /// <summary>The super-resolution runs in the issue's row format (float and INT8 PSNR per batch size).</summary>
    private static object SuperResolutionRows(List<Int8SuperResolution.SrRun> runs) =>
        runs.SelectMany(r => r.Latency.Select(l => new { config = r.Config, seed = r.Seed, floatPsnr = r.FloatPsnr, int8Psnr = r.Int8Psnr, floatSsim = r.FloatSsim, int8Ssim = r.Int8Ssim, floatMs = l.FloatMs, int8Ms = l.Int8Ms, batch = l.Batch, side = l.Side, kernelMaxAbsError = r.KernelMaxAbsError })).ToList();

    private static Int8Run RunOne(BlockSpec spec, StudyData data, int epochs, int seed)
    {
        manual_seed(seed);
        using var model = new VggClassifier(NkrStudySuite.Architecture, spec);
        var training = TrainingLoop.Train(model, data.Train, ClassifierRun.Settings(epochs, seed));
        var a = NkrStudySuite.Architecture;
        var graph = GraphFolder.Fold(model, new PlainShape(a.InputChannels, a.Height, a.Width), new PlainNormalize(ClassifierRun.Mean, ClassifierRun.Std));
        var floatModel = OnnxExporter.Export(graph, new OnnxExportOptions());
        var calibration = CalibrationBatches(data.Train, seed);
        var int8Model = Int8Quantizer.Quantize(floatModel, calibration, new QuantizationOptions { CalibrationImages = CalibrationImages });
        var fullRange = Int8Quantizer.Quantize(floatModel, calibration, new QuantizationOptions { CalibrationImages = CalibrationImages, ReduceRange = false });
        var operators = IntegerKernels.Count(int8Model);
        return new Int8Run(
            spec.Name,
            seed,
            ClassifierRun.OnnxAccuracy(floatModel, data.Test),
            ClassifierRun.OnnxAccuracy(int8Model, data.Test),
            KernelError(int8Model, data.Test),
            ClassifierRun.OnnxAccuracy(fullRange, data.Test),
            KernelError(fullRange, data.Test),
            [Latency(floatModel, int8Model, data.Test, 1), Latency(floatModel, int8Model, data.Test, 64)],
            training.TrainSeconds / epochs,
            string.Join(", ", operators.Integer.Select(p => $"{p.Key}×{p.Value}")),
            string.Join(", ", operators.Float.Select(p => $"{p.Key}×{p.Value}")),
            seed == 1 && spec.Kind is BlockKind.RepVgg or BlockKind.QaRepVgg ? WeightHistogram(graph) : null);
    }

    /// <summary>The calibration images: <see cref="CalibrationImages"/> seeded training images, raw pixels (the graph normalizes), in batches of 32.</summary>
    private static List<(float[] Data, long[] Shape)> CalibrationBatches(Data.ImageTensorDataset train, int seed)
    {
        var rows = Enumerable.Range(0, train.Count).ToArray();
        new Random(seed + 29).Shuffle(rows);
        var source = new BatchSource(train, rows[..Math.Min(CalibrationImages, rows.Length)], [], []);
        var batches = new List<(float[], long[])>();
        for (var start = 0; start < source.Count; start += 32)
        {
            using var scope = NewDisposeScope();
            var (images, _) = source.Batch([.. Enumerable.Range(start, Math.Min(32, source.Count - start))]);
            batches.Add((images.data<float>().ToArray(), images.shape));
        }

        return batches;
    }

    /// <summary>Integer kernels vs the QDQ graph evaluated node by node, on the first 256 test images (max abs logit difference).</summary>
    private static double KernelError(byte[] int8Model, Data.ImageTensorDataset test)
    {
        using var scope = NewDisposeScope();
        using var kernels = new OnnxModule(int8Model);
        using var reference = new OnnxModule(int8Model, optimize: false);
        var (images, _) = new BatchSource(test, [], []).Batch([.. Enumerable.Range(0, Math.Min(256, test.Count))]);
        return (kernels.forward(images) - reference.forward(images)).abs().max().item<float>();
    }

    /// <summary>Median milliseconds per batch of float and INT8 in ONNX Runtime (default session options), interleaved so both see the same machine state.</summary>
    private static LatencyRow Latency(byte[] floatModel, byte[] int8Model, Data.ImageTensorDataset test, int batch)
    {
        var pixels = test.Pixels.AsSpan(0, batch * test.ImageSize).ToArray();
        using var floatRunner = new OnnxModelRunner(floatModel);
        using var int8Runner = new OnnxModelRunner(int8Model);
        int[] shape = [batch, test.Channels, test.Height, test.Width];
        var (floatMs, int8Ms) = Timing.InterleavedMedians(() => floatRunner.Run(pixels, shape), () => int8Runner.Run(pixels, shape), warmup: 10, repeats: batch == 1 ? 400 : 40);
        return new LatencyRow(batch, floatMs, int8Ms);
    }

    /// <summary>Counts of every folded convolution weight divided by its output channel's largest |w| (what the 8-bit code of the weight is a fraction of), in bins over [−1, 1].</summary>
    private static int[] WeightHistogram(PlainGraph graph)
    {
        var counts = new int[HistogramBins];
        foreach (var conv in graph.Ops.OfType<PlainConv>())
        {
            var perChannel = conv.Weight.Length / conv.OutChannels;
            for (var c = 0; c < conv.OutChannels; c++)
            {
                var channel = conv.Weight.AsSpan(c * perChannel, perChannel);
                var max = 0f;
                foreach (var w in channel)
                {
                    max = Math.Max(max, Math.Abs(w));
                }

                foreach (var w in channel)
                {
                    counts[Math.Clamp((int)((w / max + 1) / 2 * HistogramBins), 0, HistogramBins - 1)]++;
                }
            }
        }

        return counts;
    }

    private static string? DrawHistograms(BenchmarkArguments arguments, List<Int8Run> runs)
    {
        var series = runs.Where(r => r.WeightHistogram is not null).Select(r => new { label = r.Config, counts = r.WeightHistogram, low = -1.0, high = 1.0 }).ToList();
        if (series.Count == 0)
        {
            return null;
        }

        var stem = arguments.OutputStem + "-weights";
        File.WriteAllText(stem + ".chart.json", JsonSerializer.Serialize(new { title = "Folded weights / their output channel's max |w| (seed 1, all convolutions)", valueName = "w / max |w| of its channel", series }, BenchmarkRunner.JsonOptions));
        if (PlotTool.Draw("histograms", stem + ".chart.json", stem + ".png") is { } problem)
        {
            Console.WriteLine($"no histogram: {problem}");
            return null;
        }

        return Path.GetFileName(stem + ".png");
    }

    private static string Markdown(List<Int8Run> runs, StudyData data, int epochs, string? histogram)
    {
        var text = new StringBuilder();
        var a = NkrStudySuite.Architecture;
        text.AppendLine($"Data: {data.Description}. Deployed classifier {a.InputChannels}x{a.Height}x{a.Width}, widths [{string.Join(", ", a.StageWidths)}], depths [{string.Join(", ", a.StageDepths)}], strides [{string.Join(", ", a.StageStrides)}]; {epochs} epoch(s) of the nkr-study's schedule. INT8: post-training static QDQ (7-bit symmetric weights per output channel, uint8 activations, 99.99th-percentile ranges from {CalibrationImages} seeded training images), run by ONNX Runtime's integer kernels. Accuracy on all test images; drop = float − INT8 in points; latency = median ms per batch in ONNX Runtime, float and INT8 interleaved in the same process, default session options. Kernels vs QDQ: the largest logit difference between ONNX Runtime's integer kernels and the same QDQ graph evaluated node by node, on 256 test images; the last two columns quantize the same network with full-range 8-bit weights instead of 7-bit ones.").AppendLine();
        text.AppendLine("| config | seeds | float acc % | INT8 acc % | drop pt (mean ± std) | worst drop pt | batch 1 float / INT8 ms | batch 64 float / INT8 ms | INT8 speed-up at 64 | kernels vs QDQ max abs | 8-bit weights: INT8 acc % | 8-bit weights: kernels vs QDQ |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in runs.GroupBy(r => r.Config))
        {
            var drops = group.Select(r => 100 * (r.FloatAccuracy - r.Int8Accuracy)).ToList();
            LatencyRow At(int batch) => new(batch, group.Average(r => r.Latency.Single(l => l.Batch == batch).FloatMs), group.Average(r => r.Latency.Single(l => l.Batch == batch).Int8Ms));
            var (one, many) = (At(1), At(64));
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {Summary.Of(group.Select(r => r.FloatAccuracy)).Format(100)} | {Summary.Of(group.Select(r => r.Int8Accuracy)).Format(100)} | {Summary.Of(drops).Format()} | {drops.Max():F2} | {one.FloatMs:F3} / {one.Int8Ms:F3} | {many.FloatMs:F2} / {many.Int8Ms:F2} | {many.FloatMs / many.Int8Ms:F2}× | {group.Max(r => r.KernelMaxAbsError):E1} | {Summary.Of(group.Select(r => r.Int8AccuracyFullRange)).Format(100)} | {group.Max(r => r.KernelMaxAbsErrorFullRange):E1} |");
        }

        text.AppendLine().AppendLine($"Operators ONNX Runtime runs for the INT8 model (seed {runs[0].Seed}, {runs[0].Config}): integer {runs[0].IntegerOperators}; float {runs[0].FloatOperators}.");
        if (histogram is not null)
        {
            text.AppendLine().AppendLine($"![Folded weights relative to their channel's largest weight, RepVGG and QARepVGG]({histogram})");
        }

        return text.ToString();
    }

    private sealed record LatencyRow(int Batch, double FloatMs, double Int8Ms);

    private sealed record Int8Run(string Config, int Seed, double FloatAccuracy, double Int8Accuracy, double KernelMaxAbsError, double Int8AccuracyFullRange, double KernelMaxAbsErrorFullRange, LatencyRow[] Latency, double SecondsPerEpoch, string IntegerOperators, string FloatOperators, int[]? WeightHistogram);
}
