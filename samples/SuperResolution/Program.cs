using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Samples;
using Microsoft.ML.Reparam.Samples.SuperResolution;
using Microsoft.ML.Reparam.Tools;
using Microsoft.ML.Transforms.Image;

// The restoration main job: train an ECBSR-style x2 super-resolution network (or, with --task denoise, a DnCNN-style
// denoiser for sigma 25) on the embedded CC0 photos or a --data folder, fold it into a plain CNN, save it as a stock
// ML.NET model.zip (input: an image file path) and as model.onnx, measure the folded and the trained network on the
// held-out photo by the published protocol beside the baseline, and write side-by-side pictures.
RestorationArguments arguments;
try
{
    arguments = RestorationArguments.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

var (trainFiles, heldOutFile, dataset) = Files(arguments.DataDirectory);
Console.WriteLine($"{dataset}: training on {trainFiles.Count} images, holding out {Path.GetFileName(heldOutFile)}.");
Directory.CreateDirectory(arguments.OutputDirectory);
var mlContext = new MLContext(seed: 1);
var trainImages = trainFiles.Select(MLImage.CreateFromFile).ToList();
using var heldOut = MLImage.CreateFromFile(heldOutFile);
ReparamRestorationOptions options = arguments.Denoise
    ? new ReparamDenoisingOptions { NoiseLevel = arguments.Sigma, BlockKind = arguments.Block ?? BlockKind.RepVgg, Epochs = arguments.Epochs ?? 30, PatchesPerImage = 256 }
    : new ReparamSuperResolutionOptions { Scale = arguments.Scale, BlockKind = arguments.Block ?? BlockKind.Ecb, Epochs = arguments.Epochs ?? 30, PatchesPerImage = 256 };
options.RetainTrainedNetwork = true;

var watch = Stopwatch.StartNew();
var trainData = ImageView(mlContext, trainImages);
ReparamRestorationTransformer trained;
using (var progress = new ConsoleProgress()) // a live bar on a terminal: nothing else writes to the console until it ends
{
    options.Progress = progress;
    trained = options switch
    {
        ReparamDenoisingOptions denoising => mlContext.Transforms.ReparamDenoising(denoising).Fit(trainData),
        ReparamSuperResolutionOptions superResolution => mlContext.Transforms.ReparamSuperResolution(superResolution).Fit(trainData),
        _ => throw new UnreachableException(),
    };
}

using var model = trained;
var trainSeconds = watch.Elapsed.TotalSeconds;

// The deployed pipeline: image file path in, restored image out; stock ML.NET transformers only.
var pathInput = mlContext.Data.LoadFromEnumerable(new[] { new ImagePathRow { ImagePath = Path.GetFullPath(heldOutFile) } });
var pipeline = mlContext.Transforms.LoadImages("Image", null, "ImagePath").Fit(pathInput).Append(model);
var zipPath = Path.Combine(arguments.OutputDirectory, "model.zip");
mlContext.Model.Save(pipeline, pathInput.Schema, zipPath);
var onnxPath = Path.Combine(arguments.OutputDirectory, "model.onnx");
model.SaveOnnx(onnxPath);

// Folded: the deployed ONNX model; unfolded: the trained network; both on the same degraded held-out photo.
var heldOutData = ImageView(mlContext, [heldOut]);
var folded = model.Evaluate(heldOutData);
var unfolded = model.EvaluateTrainedNetwork(heldOutData);
double latency;
using (var comparison = model.Compare(heldOut))
{
    SideBySide.Save(Path.Combine(arguments.OutputDirectory, "side-by-side.png"), comparison.Baseline, comparison.Restored, heldOut);
    comparison.Input.Save(Path.Combine(arguments.OutputDirectory, "input.png"));
    comparison.Restored.Save(Path.Combine(arguments.OutputDirectory, "restored.png"));
    latency = Latency(model, comparison.Input);
}

var psnrName = arguments.Denoise ? "psnrNoisy" : "psnrBicubic";
var report = new Dictionary<string, object?>
{
    ["task"] = arguments.Denoise ? $"denoising, sigma {arguments.Sigma}" : $"x{arguments.Scale} super-resolution",
    ["dataset"] = dataset,
    ["heldOut"] = Path.GetFileName(heldOutFile),
    ["blockKind"] = options.BlockKind.ToString(),
    ["color"] = options.Color.ToString(),
    ["depth"] = options.Depth,
    ["width"] = options.Width,
    ["epochs"] = options.Epochs,
    ["patches"] = trainImages.Count * options.PatchesPerImage,
    [psnrName] = folded.BaselinePsnr,
    ["psnrFolded"] = folded.Psnr,
    ["psnrUnfolded"] = unfolded.Psnr,
    ["ssimBaseline"] = folded.BaselineSsim,
    ["ssimFolded"] = folded.Ssim,
    ["foldMaxRelError"] = model.FoldError.MaxRelative,
    ["onnxMaxAbsError"] = model.FoldReport.OnnxMaxAbsError,
    ["parameterCountFolded"] = model.Graph.ParameterCount,
    ["trainSeconds"] = trainSeconds,
    ["bestEpoch"] = model.Training.BestEpoch,
    ["msPerMegapixelFoldedOnnx"] = latency,
    ["protocol"] = arguments.Denoise
        ? "PSNR on the gray image of the 8-bit result; input = ground truth + unrounded Gaussian noise (seed 0); baseline = the noisy input"
        : $"PSNR on BT.601 luma of the 8-bit result, {arguments.Scale} border pixels cropped; input = MATLAB-style antialiased bicubic downscale rounded to 8 bits; baseline = bicubic upscale (a = -0.5)",
    ["command"] = "dotnet run -c Release --project samples/SuperResolution" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty),
    ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
};
var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
File.WriteAllText(Path.Combine(arguments.OutputDirectory, "report.json"), json);
TrainingCurves.Write(Path.Combine(arguments.OutputDirectory, "training-curves.png"), arguments.Denoise ? "denoising" : "super-resolution", model.Training);
Console.WriteLine(json);
Console.WriteLine($"Wrote {zipPath}, {onnxPath}, report.json and side-by-side.png ({(arguments.Denoise ? "noisy" : "bicubic")} | ours | ground truth) to {arguments.OutputDirectory}.");
trainImages.ForEach(image => image.Dispose());
return 0;

static (List<string> Train, string HeldOut, string Dataset) Files(string? directory)
{
    if (directory is null)
    {
        var photos = Path.Combine(AppContext.BaseDirectory, "photos");
        var all = Directory.GetFiles(photos, "*.png").Order(StringComparer.Ordinal).ToList();
        var heldOut = all.Single(f => Path.GetFileName(f) == "chelsea.png");
        return ([.. all.Where(f => f != heldOut)], heldOut, "embedded CC0 photos (scikit-image)");
    }

    string[] extensions = [".png", ".jpg", ".jpeg", ".bmp"];
    var files = Directory.GetFiles(directory).Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
    return files.Count >= 2 ? (files[..^1], files[^1], $"images from {directory}") : throw new ArgumentException($"--data: '{directory}' needs at least two images.");
}

static IDataView ImageView(MLContext mlContext, IEnumerable<MLImage> images) =>
    mlContext.Data.LoadFromEnumerable(images.Select(image => new ImageRow { Image = image }), SchemaDefinition.Create(typeof(ImageRow)));

// Milliseconds per output megapixel of the folded ONNX model on the held-out photo's degraded input (median of 5 runs after a warm-up).
static double Latency(ReparamRestorationTransformer model, MLImage input)
{
    model.Restore(input).Dispose();
    var times = Enumerable.Range(0, 5).Select(_ =>
    {
        var watch = Stopwatch.StartNew();
        model.Restore(input).Dispose();
        return watch.Elapsed.TotalMilliseconds;
    }).Order().ToList();
    return times[2] / (input.Width * model.Scale * input.Height * model.Scale / 1e6);
}

internal sealed class ImagePathRow
{
    public string ImagePath { get; set; } = string.Empty;
}

internal sealed class ImageRow
{
    [ImageType(1, 1)] // the size a column must declare; every image keeps its own
    public MLImage Image { get; set; } = null!;
}

