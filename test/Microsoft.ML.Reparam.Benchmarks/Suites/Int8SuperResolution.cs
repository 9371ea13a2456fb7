using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Quantization;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// The int8-study's super-resolution part (<c>--sr-data DIR</c> with T91/ and Set5/): the sr-study's ECBSR-M4C16 ×2
/// trained as Conv, ECB, RepVGG and QARepVGG with INT8 deployment; Set5 PSNR by the published protocol of the INT8 model
/// and of the trained float network (equal to the float fold within 1e-6), and ONNX Runtime latency of both.
/// </summary>
internal static class Int8SuperResolution
{
    private static readonly BlockSpec[] Specs = [BlockKind.Conv, BlockKind.Ecb, BlockKind.RepVgg, BlockKind.QaRepVgg];

    public static IEnumerable<(string Key, Func<object> Run)> Plan(string root, int[] seeds, bool quick)
    {
        var mlContext = new MLContext(1);
        var train = RestorationStudy.Load(mlContext, RestorationStudy.Folder(root, "T91"));
        var test = RestorationStudy.Load(mlContext, RestorationStudy.Folder(root, "Set5"));
        var (epochs, patches) = quick ? (1, 8) : (4, 32);
        return from spec in quick ? Specs[..2] : Specs
               from seed in seeds
               select ($"SR-{spec.Name}-seed{seed}", (Func<object>)(() => RunOne(spec, seed, epochs, patches, train, test)));
    }

    private static SrRun RunOne(BlockSpec spec, int seed, int epochs, int patches, IDataView train, IDataView test)
    {
        var mlContext = new MLContext(seed);
        var options = new ReparamSuperResolutionOptions { BlockKind = spec.Kind, KernelGenerator = spec.Generator, Epochs = epochs, PatchesPerImage = patches, Seed = seed, RetainTrainedNetwork = true, Quantization = new QuantizationOptions() };
        using var model = mlContext.Transforms.ReparamSuperResolution(options).Fit(train);
        var int8 = model.Evaluate(test);
        var trained = model.EvaluateTrainedNetwork(test);
        var path = Path.GetTempFileName();
        model.SaveOnnx(path);
        var int8Onnx = File.ReadAllBytes(path);
        File.Delete(path);
        var floatOnnx = OnnxExporter.Export(model.Graph, new OnnxExportOptions());
        return new SrRun($"SR-{spec.Name}", seed, trained.Psnr, int8.Psnr, trained.Ssim, int8.Ssim, model.Quantization!.KernelMaxAbsError, [Latency(floatOnnx, int8Onnx, 1, 128), Latency(floatOnnx, int8Onnx, 64, 32)]);
    }

    /// <summary>Median ms per batch of <paramref name="batch"/> RGB images of <paramref name="side"/>² pixels, float and INT8 interleaved.</summary>
    private static SrLatency Latency(byte[] floatModel, byte[] int8Model, int batch, int side)
    {
        var random = new Random(7);
        var pixels = Enumerable.Range(0, batch * 3 * side * side).Select(_ => (float)random.NextDouble()).ToArray();
        using var floatRunner = new OnnxModelRunner(floatModel);
        using var int8Runner = new OnnxModelRunner(int8Model);
        int[] shape = [batch, 3, side, side];
        var (floatMs, int8Ms) = Timing.InterleavedMedians(() => floatRunner.Run(pixels, shape), () => int8Runner.Run(pixels, shape), warmup: 3, repeats: 20);
        return new SrLatency(batch, side, floatMs, int8Ms);
    }

    public static string Markdown(IReadOnlyList<SrRun> runs)
    {
        var text = new StringBuilder();
        text.AppendLine().AppendLine("### Super-resolution: Set5 ×2").AppendLine();
        text.AppendLine("The sr-study's network and schedule (ECBSR-M4C16 on luma, T91, Adam, L1) with INT8 deployment; PSNR/SSIM on Set5 ×2 by the published protocol (luma, 2-pixel border). Float: the trained network (its fold is exact within 1e-6); INT8: the deployed model in ONNX Runtime. Latency: median ms per batch of random RGB images, float and INT8 interleaved.").AppendLine();
        text.AppendLine("| config | seeds | float PSNR dB | INT8 PSNR dB | drop dB (mean ± std) | worst drop dB | INT8 SSIM | kernels vs QDQ max abs | batch 1 128×128 float / INT8 ms | batch 64 32×32 float / INT8 ms |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var group in runs.GroupBy(r => r.Config))
        {
            var drops = group.Select(r => r.FloatPsnr - r.Int8Psnr).ToList();
            string At(int batch) => string.Create(CultureInfo.InvariantCulture, $"{group.Average(r => r.Latency.Single(l => l.Batch == batch).FloatMs):F2} / {group.Average(r => r.Latency.Single(l => l.Batch == batch).Int8Ms):F2}");
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {Summary.Of(group.Select(r => r.FloatPsnr)).Format()} | {Summary.Of(group.Select(r => r.Int8Psnr)).Format()} | {Summary.Of(drops).Format(1, "F3")} | {drops.Max():F3} | {Summary.Of(group.Select(r => r.Int8Ssim)).Format(1, "F4")} | {group.Max(r => r.KernelMaxAbsError):E1} | {At(1)} | {At(64)} |");
        }

        return text.ToString();
    }

    internal sealed record SrLatency(int Batch, int Side, double FloatMs, double Int8Ms);

    internal sealed record SrRun(string Config, int Seed, double FloatPsnr, double Int8Psnr, double FloatSsim, double Int8Ssim, double KernelMaxAbsError, SrLatency[] Latency);
}
