using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Tasks.Restoration;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>sr-study</c>: the same deployed ×2 network (ECBSR-M4C16 on luma, 10k parameters) trained on T91 as Conv (plain, no batch norm), Plain (with batch norm),
/// ECB, RepVGG, DBB, OREPA and NKR (self-attention), three seeds each, the same steps; PSNR/SSIM of the folded model on
/// Set5 by the published protocol, beside bicubic. Needs <c>--data DIR</c> holding <c>T91/</c> and <c>Set5/</c>
/// (../shared/data/super-resolution). Also measures bicubic the way SRCNN's script does (luma rounded to 8 bits,
/// low-resolution luma left unrounded) to check the resize against the published 33.66 dB. Resumable.
/// </summary>
internal sealed class SrStudySuite : IBenchmarkSuite
{
    public string Name => "sr-study";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var root = arguments.Get("data") ?? throw new ArgumentException("sr-study needs --data DIR: the folder with T91/ and Set5/ (../shared/data/super-resolution).");
        var (trainFolder, testFolder) = (RestorationStudy.Folder(root, "T91"), RestorationStudy.Folder(root, "Set5"));
        var epochs = int.Parse(arguments.Get("epochs") ?? (arguments.Quick ? "1" : "4"), CultureInfo.InvariantCulture);
        var patches = int.Parse(arguments.Get("patches") ?? (arguments.Quick ? "8" : "32"), CultureInfo.InvariantCulture);
        BlockSpec[] specs = arguments.Quick ? [BlockKind.Conv, BlockKind.Ecb] : RestorationStudy.Specs;
        int[] seeds = arguments.Quick ? [1] : [1, 2, 3];
        var mlContext = new MLContext(1);
        var train = RestorationStudy.Load(mlContext, trainFolder);
        var test = RestorationStudy.Load(mlContext, testFolder);
        var plan = from spec in specs
                   from seed in seeds
                   select ($"{spec.Name}-seed{seed}", (Func<object>)(() => RunOne(spec, seed, epochs, patches, train, test)));
        var runs = new ResumableStudy(arguments, new { epochs, patchesPerImage = patches }).RunAll(plan.ToList()).Select(r => r.Deserialize<RestorationRun>(BenchmarkRunner.JsonOptions)!).ToList();
        var srcnnBicubic = SrcnnScriptBicubic(test);
        var options = Options(BlockKind.Plain, 1, epochs, patches);
        var steps = epochs * (int)Math.Ceiling(91 * patches * (1 - options.ValidationFraction) / options.BatchSize);
        return new SuiteResult(new { train = trainFolder, test = testFolder, scale = 2, epochs, patchesPerImage = patches, steps, bicubicSrcnnScript = srcnnBicubic, runs }, Markdown(runs, trainFolder, testFolder, epochs, patches, steps, srcnnBicubic), RestorationStudy.Chart(runs, 2, "Set5 x2 PSNR per block kind (same deployed network)"));
    }

    /// <summary>ECBSR-M4C16 on luma, ×2, 32-pixel low-resolution patches, batch 16, Adam 5e-4 cosine, L1, flips and turns, 10 % of the images for PSNR-based best-epoch choice.</summary>
    private static ReparamSuperResolutionOptions Options(BlockSpec spec, int seed, int epochs, int patches) => new()
    {
        BlockKind = spec.Kind,
        KernelGenerator = spec.Generator,
        Epochs = epochs,
        PatchesPerImage = patches,
        Seed = seed,
    };

    private static RestorationRun RunOne(BlockSpec spec, int seed, int epochs, int patches, IDataView train, IDataView test)
    {
        var mlContext = new MLContext(seed);
        using var model = mlContext.Transforms.ReparamSuperResolution(Options(spec, seed, epochs, patches)).Fit(train);
        var metrics = model.Evaluate(test);
        var run = new RestorationRun("super-resolution", spec.Name, seed, 2, null, metrics.Psnr, metrics.Ssim, metrics.BaselinePsnr, model.Graph.ParameterCount, model.Training.TrainSeconds / epochs, model.FoldError.MaxRelative);
        Console.WriteLine($"{spec.Name} seed {seed}: Set5 x2 {metrics.Psnr:F2} dB (bicubic {metrics.BaselinePsnr:F2}), SSIM {metrics.Ssim:F4}, {run.SecondsPerEpoch:F1} s/epoch, fold {model.FoldError}");
        return run;
    }

    /// <summary>Bicubic as SRCNN's evaluation script computes it: luma of the 8-bit image rounded to 8 bits, downscaled and upscaled in double precision, the result rounded; PSNR with a 2-pixel border.</summary>
    private static double SrcnnScriptBicubic(IDataView test) => RestorationPatches.ReadImages(test, "Image", "test data").Select(image =>
    {
        var truth = image.CropToMultiple(2);
        var luma = ImageQuality.Luma(truth.Pixels).Select(v => Math.Round(v, MidpointRounding.AwayFromZero)).ToArray();
        var low = Bicubic.Downscale(luma, truth.Height, truth.Width, 2);
        var upscaled = Bicubic.Upscale(low, truth.Height / 2, truth.Width / 2, 2).Select(v => (double)RgbImage.ToByte(v)).ToArray();
        return ImageQuality.Psnr(luma, upscaled, truth.Height, truth.Width, 2);
    }).Average();

    private static string Markdown(IReadOnlyList<RestorationRun> runs, string train, string test, int epochs, int patches, int steps, double srcnnBicubic)
    {
        var text = new StringBuilder();
        text.AppendLine($"Train: T91 (`{train}`), {patches} random 64×64 patches per image (32×32 low-resolution inputs from MATLAB-style antialiased bicubic downscaling of the whole image, rounded to 8 bits), 10 % of the images held out to choose the best epoch by PSNR. Deployed network: ECBSR-M4C16 on BT.601 luma (chroma upscaled bicubically), ×2. Schedule: {epochs} epochs = {steps} steps of batch 16, Adam (decoupled, no decay) 5e-4 with cosine decay, L1 loss, flips and 90° turns. Test: Set5 (`{test}`), PSNR/SSIM on luma of the 8-bit output with a 2-pixel border cropped, folded model (ONNX Runtime). Δ and Welch's t against Conv (the deployed network trained as it is, no batch norm) and against Plain (convolution + batch norm, which the batch-normed kinds add branches to); |t| > {GroupComparison.NoiseThreshold} is called beyond seed noise. Every kind's output block starts at zero, so every network starts as its identity path.").AppendLine();
        text.Append(RestorationStudy.Table(runs, "scale", epochs));
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Bicubic by SRCNN's script (8-bit luma, unrounded low-resolution luma) with our resize: {srcnnBicubic:F2} dB on Set5 ×2; published: 33.66 dB. The baseline column is bicubic on 8-bit RGB low-resolution images, as the deployed model sees them.");
        text.AppendLine("Published ×2 Set5 (DIV2K- or ImageNet-trained, long schedules): SRCNN 36.66, FSRCNN 36.94 (12k parameters), ECBSR-M4C16 37.33 dB.");
        return text.ToString();
    }
}
