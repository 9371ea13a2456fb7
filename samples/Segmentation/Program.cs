using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Samples;
using Microsoft.ML.Reparam.Samples.Segmentation;
using Microsoft.ML.Reparam.Tools;

// The segmentation main job: train a RepVGG U-Net on the embedded synthetic scenes (or on ISBI-style slices with
// --data), fold it into a plain CNN, save it as a stock ML.NET model.zip (input: an image file path) and as
// model.onnx, compare the folded model with the trained one, and draw a few overlays a person can look at.
SegmentationArguments arguments;
try
{
    arguments = SegmentationArguments.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

var (train, validation, dataset, options) = arguments.DataDirectory is { } directory ? Isbi(directory, arguments) : Scenes(arguments);
Console.WriteLine($"{dataset}: {train.Count} training and {validation.Count} validation images of {train.Width}x{train.Height}, {options.Epochs} epochs.");
Directory.CreateDirectory(arguments.OutputDirectory);
options.RetainTrainedNetwork = true;

var mlContext = new MLContext(seed: 1);
var watch = Stopwatch.StartNew();
ReparamSegmentationTransformer trained;
using (var progress = new ConsoleProgress()) // a live bar on a terminal: nothing else writes to the console until it ends
{
    options.Progress = progress;
    trained = mlContext.Transforms.ReparamSegmentation(options).Fit(train.ToDataView(mlContext));
}

using var model = trained;
var trainSeconds = watch.Elapsed.TotalSeconds;

// The deployed pipeline: image file path in, key-typed mask out; stock ML.NET transformers only.
var files = WriteImages(validation, Path.Combine(arguments.OutputDirectory, "validation-images"));
var pathInput = mlContext.Data.LoadFromEnumerable(files.Select(f => new ImagePathRow { ImagePath = f }));
var pipeline = mlContext.Transforms.LoadImages("Image", null, "ImagePath").Fit(pathInput).Append(model);
var zipPath = Path.Combine(arguments.OutputDirectory, "model.zip");
mlContext.Model.Save(pipeline, pathInput.Schema, zipPath);
var onnxPath = Path.Combine(arguments.OutputDirectory, "model.onnx");
model.SaveOnnx(onnxPath);

// Folded: the saved model.zip, loaded back and run on the image files. Unfolded: the trained network on the same pixels.
var loaded = mlContext.Model.Load(zipPath, out _);
var predicted = loaded.Transform(pathInput).GetColumn<VBuffer<uint>>("PredictedMask").Select(m => m.DenseValues().Select(k => (int)k - 1).ToArray()).ToList();
var truth = Enumerable.Range(0, validation.Count).Select(i => Truth(validation, i, options)).ToList();
var folded = SegmentationMetrics.Compute(truth.Zip(predicted), model.ClassNames.Count, ignoreValue: -1);
var validationView = validation.ToDataView(mlContext);
var unfolded = model.EvaluateTrainedNetwork(validationView);
Overlays.Write(validation, truth, predicted, Math.Min(4, validation.Count), Path.Combine(arguments.OutputDirectory, "overlays"));

var report = new
{
    dataset,
    blockKind = options.BlockKind.ToString(),
    widths = options.StageWidths,
    epochs = options.Epochs,
    trainImages = train.Count,
    validationImages = validation.Count,
    imageSize = $"{train.Width}x{train.Height}",
    classNames = model.ClassNames,
    meanIoUUnfolded = unfolded.MeanIoU,
    meanIoUFolded = folded.MeanIoU,
    pixelAccuracyUnfolded = unfolded.PixelAccuracy,
    pixelAccuracyFolded = folded.PixelAccuracy,
    perClassIoUFolded = folded.PerClassIoU.Select(v => double.IsNaN(v) ? (double?)null : v),
    foldMaxRelError = model.FoldError.MaxRelative,
    onnxMaxAbsError = model.FoldReport.OnnxMaxAbsError,
    trainSeconds,
    bestEpoch = model.Training.BestEpoch,
    msPerImageUnfoldedTorch = Latency.UnfoldedTorchMs(model.TrainedNetwork!, validation, options),
    msPerImageFoldedOnnx = Latency.FoldedOnnxMs(model.GetOnnxModel(), validation),
    parameterCountFolded = model.Graph.ParameterCount,
    command = "dotnet run -c Release --project samples/Segmentation" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty),
    machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
};
var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
File.WriteAllText(Path.Combine(arguments.OutputDirectory, "report.json"), json);
TrainingCurves.Write(Path.Combine(arguments.OutputDirectory, "training-curves.png"), "U-Net segmentation", model.Training);
Console.WriteLine(json);
Console.WriteLine($"Wrote {zipPath}, {onnxPath}, report.json and overlays/ to {arguments.OutputDirectory}.");
return 0;

// Embedded: synthetic scenes of Fashion-MNIST garments on CC0 textures; mask value = class id (0 = background).
static (SegmentationImages, SegmentationImages, string, ReparamSegmentationOptions) Scenes(SegmentationArguments arguments)
{
    var scenes = SegmentationImages.Synthetic(arguments.Images ?? 1000, size: 64, seed: 1);
    var validation = scenes.Count / 5;
    return (scenes.Slice(validation, scenes.Count - validation), scenes.Slice(0, validation), "embedded synthetic scenes (Fashion-MNIST garments on CC0 textures)", new ReparamSegmentationOptions
    {
        BlockKind = BlockKind.RepVgg,
        ClassNames = [.. scenes.ClassNames!],
        StageWidths = [16, 32, 64, 128],
        Epochs = arguments.Epochs ?? 30,
        BatchSize = 16,
        HorizontalFlip = true,
        InputMean = [0.3f],
        InputStd = [0.25f],
    });
}

// ISBI 2012 membranes: slices 0–19 train, 20–23 validate (../shared/data/README.md); 255 = cell, 0 = membrane.
static (SegmentationImages, SegmentationImages, string, ReparamSegmentationOptions) Isbi(string directory, SegmentationArguments arguments)
{
    var train = SegmentationImages.Load(directory, [.. Enumerable.Range(0, 20)]);
    var validation = SegmentationImages.Load(directory, [.. Enumerable.Range(20, 4)]);
    return (train, validation, $"ISBI 2012 membrane slices from {directory}", new ReparamSegmentationOptions
    {
        BlockKind = BlockKind.RepVgg,
        ClassNames = ["cell", "membrane"],
        MaskValues = new Dictionary<int, int> { [255] = 0, [0] = 1 },
        StageWidths = [16, 32, 64],
        Epochs = arguments.Epochs ?? 40,
        BatchSize = 2,
        HorizontalFlip = true,
        VerticalFlip = true,
        Rotate90 = true,
        ValidationFraction = 0,
        FoldCheckImages = 2,
        InputMean = [0.5f],
        InputStd = [0.25f],
    });
}

// True class ids at the model's size (the slices and scenes already have it); −1 marks an ignored pixel.
static int[] Truth(SegmentationImages images, int index, ReparamSegmentationOptions options)
{
    var size = images.Height * images.Width;
    return [.. images.Masks.AsSpan(index * size, size).ToArray().Select(v => options.MaskValues is { } map ? map.TryGetValue(v, out var c) ? c : -1 : v == 255 ? -1 : v)];
}

static List<string> WriteImages(SegmentationImages images, string folder)
{
    Directory.CreateDirectory(folder);
    return [.. Enumerable.Range(0, images.Count).Select(i =>
    {
        var path = Path.Combine(folder, i.ToString(CultureInfo.InvariantCulture) + ".png");
        using var image = images.ImageAt(i);
        image.Save(path);
        return path;
    })];
}

internal sealed class ImagePathRow
{
    public string ImagePath { get; set; } = string.Empty;
}

