using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Studies;
using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>denoise-study</c>: the same deployed DnCNN-style gray denoiser trained blind (σ drawn from 5–55 per patch) on
/// Train400 as Conv (plain, no batch norm), Plain (with batch norm), ECB, RepVGG, DBB, OREPA and NKR (self-attention), three seeds each, the same steps; PSNR/SSIM of
/// the folded model on BSD68 at σ = 15, 25 and 50 by the published protocol (noise seeded, unrounded), beside the noisy
/// input. Needs <c>--data DIR</c> holding <c>Train400/</c> and <c>BSD68/</c> (../shared/data/denoising). Resumable.
/// </summary>
internal sealed class DenoiseStudySuite : IBenchmarkSuite
{
    private static readonly float[] Sigmas = [15, 25, 50];

    public string Name => "denoise-study";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var root = arguments.Get("data") ?? throw new ArgumentException("denoise-study needs --data DIR: the folder with Train400/ and BSD68/ (../shared/data/denoising).");
        var (trainFolder, testFolder) = (RestorationStudy.Folder(root, "Train400"), RestorationStudy.Folder(root, "BSD68"));
        var epochs = int.Parse(arguments.Get("epochs") ?? (arguments.Quick ? "1" : "3"), CultureInfo.InvariantCulture);
        var patches = int.Parse(arguments.Get("patches") ?? (arguments.Quick ? "2" : "8"), CultureInfo.InvariantCulture);
        BlockSpec[] specs = arguments.Quick ? [BlockKind.Conv, BlockKind.RepVgg] : RestorationStudy.Specs;
        int[] seeds = arguments.Quick ? [1] : [1, 2, 3];
        float[] sigmas = arguments.Quick ? [25] : Sigmas;
        var testImages = arguments.Quick ? 8 : int.MaxValue;
        var mlContext = new MLContext(1);
        var train = RestorationStudy.Load(mlContext, trainFolder);
        var test = mlContext.Data.TakeRows(RestorationStudy.Load(mlContext, testFolder), testImages);
        var plan = from seed in seeds
                   from spec in specs
                   select ($"{spec.Name}-seed{seed}", (Func<object>)(() => RunOne(spec, seed, epochs, patches, sigmas, train, test)));
        var runs = new ResumableStudy(arguments, new { epochs, patchesPerImage = patches }).RunAll(plan.ToList()).SelectMany(r => r["runs"]!.AsArray().Select(x => x.Deserialize<RestorationRun>(BenchmarkRunner.JsonOptions)!)).ToList();
        var options = Options(BlockKind.Plain, 1, epochs, patches);
        var steps = epochs * (int)Math.Ceiling(400 * patches * (1 - options.ValidationFraction) / options.BatchSize);
        return new SuiteResult(new { train = trainFolder, test = testFolder, testImages = Math.Min(testImages, 68), epochs, patchesPerImage = patches, steps, runs }, Markdown(runs, trainFolder, testFolder, epochs, patches, steps, Math.Min(testImages, 68)), RestorationStudy.Chart(runs, 25, "BSD68 sigma 25 PSNR per block kind (same deployed network)"));
    }

    /// <summary>D = 6 blocks of 24 channels with ReLU on gray (about 26k deployed parameters, small enough for 18 runs and 3 σ on BSD68 in an hour), 40-pixel patches, batch 16, Adam 1e-3 cosine, L2, flips and turns, σ 5–55 per patch.</summary>
    private static ReparamDenoisingOptions Options(BlockSpec spec, int seed, int epochs, int patches) => new()
    {
        BlockKind = spec.Kind,
        KernelGenerator = spec.Generator,
        Depth = 6,
        Width = 24,
        NoiseLevel = 5,
        MaxNoiseLevel = 55,
        Epochs = epochs,
        PatchesPerImage = patches,
        Seed = seed,
    };

    private static object RunOne(BlockSpec spec, int seed, int epochs, int patches, float[] sigmas, IDataView train, IDataView test)
    {
        var mlContext = new MLContext(seed);
        var options = Options(spec, seed, epochs, patches);
        using var model = mlContext.Transforms.ReparamDenoising(options).Fit(train);
        var runs = sigmas.Select(sigma =>
        {
            // The blind model is measured at each σ: the same network, inputs noised at that σ (seeded by σ).
            var metrics = model.Evaluate(test, seed: (int)sigma, noiseLevel: sigma);
            Console.WriteLine($"{spec.Name} seed {seed} sigma {sigma}: BSD68 {metrics.Psnr:F2} dB (noisy {metrics.BaselinePsnr:F2}), SSIM {metrics.Ssim:F4}, fold {model.FoldError}");
            return new RestorationRun("denoising", spec.Name, seed, null, sigma, metrics.Psnr, metrics.Ssim, metrics.BaselinePsnr, model.Graph.ParameterCount, model.Training.TrainSeconds / epochs, model.FoldError.MaxRelative);
        }).ToList();
        return new { runs };
    }

    private static string Markdown(IReadOnlyList<RestorationRun> runs, string train, string test, int epochs, int patches, int steps, int testImages)
    {
        var text = new StringBuilder();
        text.AppendLine($"Train: Train400 (`{train}`), {patches} random 40×40 patches per image, Gaussian noise with σ drawn uniformly from 5–55 per patch (one blind model per run), 10 % of the images held out to choose the best epoch by PSNR. Deployed network: DnCNN layout on gray, 6 blocks of 24 channels with ReLU and a noise-predicting last convolution (y = x − f(x)). Schedule: {epochs} epochs = {steps} steps of batch 16, Adam (decoupled, no decay) 1e-3 with cosine decay, L2 loss, flips and 90° turns. Test: the first {testImages} BSD68 images (`{test}`), ground truth + unrounded Gaussian noise of σ (seeded), PSNR/SSIM on the 8-bit gray output, folded model (ONNX Runtime). Δ and Welch's t against Conv (the deployed network trained as it is, no batch norm) and against Plain (convolution + batch norm, which the batch-normed kinds add branches to) at the same σ; |t| > {GroupComparison.NoiseThreshold} is called beyond seed noise. Every kind's output block starts at zero, so every network starts as its identity path.").AppendLine();
        text.Append(RestorationStudy.Table(runs, "sigma", epochs));
        text.AppendLine().AppendLine("Published BSD68 at σ = 25 (../shared/data/README.md): BM3D 28.57, DnCNN-S 29.23 dB (17 layers, 556k parameters, a σ-specific model trained on Train400 with a long schedule).");
        return text.ToString();
    }
}
