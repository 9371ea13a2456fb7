using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Quantization;
using Microsoft.ML.Reparam.Samples;
using Microsoft.ML.Reparam.Samples.QuickStart;
using Microsoft.ML.Reparam.Tools;
using Microsoft.ML.Reparam.Training;

// The main job: train a RepVGG classifier on Fashion-MNIST, fold it into a plain CNN (quantized to INT8 with --int8),
// save it as a stock ML.NET model.zip (input: an image file path) and as model.onnx, and compare the deployed model
// with the trained one.
QuickStartArguments arguments;
try
{
    arguments = QuickStartArguments.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

var (train, test) = arguments.DataDirectory is { } directory ? FashionMnist.Load(directory) : FashionMnist.LoadEmbedded();
var dataset = arguments.DataDirectory is null ? "embedded Fashion-MNIST subset" : $"Fashion-MNIST from {arguments.DataDirectory}";
Console.WriteLine($"{dataset}: {train.Count} training and {test.Count} test images, {arguments.Epochs} epochs.");
Directory.CreateDirectory(arguments.OutputDirectory);

var mlContext = new MLContext(seed: 1);
var options = new ReparamConvTrainerOptions
{
    BlockKind = BlockKind.RepVgg,
    Epochs = arguments.Epochs,
    InputMean = [0.286f],
    InputStd = [0.353f],
    RandomCropPadding = 2,
    RetainTrainedNetwork = true,
    CheckpointDirectory = arguments.CheckpointDirectory,
    Quantization = arguments.Int8 ? new QuantizationOptions() : null,
};
var trainView = train.ToDataView(mlContext);
var watch = Stopwatch.StartNew();
TransformerChain<ReparamConvTransformer> fitted;
using (var progress = new ConsoleProgress()) // a live bar on a terminal: nothing else writes to the console until it ends
{
    options.Progress = progress;
    fitted = mlContext.Transforms.Conversion.MapValueToKey("Label")
        .Append(mlContext.MulticlassClassification.Trainers.ReparamConv(options))
        .Fit(trainView);
}

var trainSeconds = watch.Elapsed.TotalSeconds;
using var reparam = fitted.LastTransformer;

// The deployed pipeline: image file path in, class name and scores out; stock ML.NET transformers only.
var testFiles = WriteTestImages(test, arguments.OutputDirectory);
var pathInput = mlContext.Data.LoadFromEnumerable(testFiles.Select(f => new ImagePathRow { ImagePath = f.Path }));
var loadImages = mlContext.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Fit(pathInput);
var toClassName = mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(reparam.Transform(loadImages.Transform(pathInput)));
var zipPath = Path.Combine(arguments.OutputDirectory, "model.zip");
mlContext.Model.Save(new TransformerChain<ITransformer>(loadImages, reparam, toClassName), pathInput.Schema, zipPath);
var onnxPath = Path.Combine(arguments.OutputDirectory, "model.onnx");
reparam.SaveOnnx(onnxPath);

// Folded: the saved model.zip, loaded back and run on the image files. Unfolded: the trained network on the same pixels.
var loaded = mlContext.Model.Load(zipPath, out _);
var foldedPredictions = mlContext.Data.CreateEnumerable<PredictionRow>(loaded.Transform(pathInput), reuseRowObject: false).Select(p => p.PredictedLabel).ToList();
var accuracyFolded = foldedPredictions.Where((p, i) => p == testFiles[i].Label).Count() / (double)test.Count;
var testPixels = reparam.PreprocessImages(fitted.Transform(test.ToDataView(mlContext)));
var unfoldedLogits = ModelEvaluation.Logits(reparam.TrainedNetwork!, new BatchSource(testPixels, options.InputMean, options.InputStd));
var accuracyUnfolded = ModelEvaluation.Accuracy(unfoldedLogits, testPixels.Labels);
var unfoldedPredictions = ModelEvaluation.ArgMax(unfoldedLogits, reparam.ClassNames.Count).Select(c => reparam.ClassNames[c]).ToList();
var agreement = unfoldedPredictions.Zip(foldedPredictions).Count(pair => pair.First == pair.Second) / (double)test.Count;

var latencyImages = Math.Min(500, test.Count);
var report = new QuickStartReport
{
    Dataset = dataset,
    BlockKind = options.BlockKind.ToString(),
    Epochs = options.Epochs,
    TrainImages = train.Count,
    TestImages = test.Count,
    AccuracyUnfolded = accuracyUnfolded,
    AccuracyFolded = accuracyFolded,
    PredictionAgreement = agreement,
    FoldMaxAbsError = reparam.FoldError.MaxAbsolute,
    FoldMaxRelError = reparam.FoldError.MaxRelative,
    OnnxMaxAbsError = reparam.FoldReport.OnnxMaxAbsError,
    FoldCheckImages = reparam.FoldReport.Images,
    MsPerImageUnfoldedTorch = Latency.UnfoldedTorchMs(reparam.TrainedNetwork!, testPixels, options.InputMean, options.InputStd, latencyImages),
    MsPerImageFoldedOnnx = Latency.FoldedOnnxMs(reparam.GetOnnxModel(), testPixels, latencyImages),
    TrainSeconds = trainSeconds,
    BestEpoch = reparam.Training.BestEpoch,
    ParameterCountFolded = reparam.Graph.ParameterCount,
    Quantization = reparam.Quantization?.ToString(),
    Command = "dotnet run -c Release --project samples/QuickStart" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty),
};
report.Write(Path.Combine(arguments.OutputDirectory, "report.json"));
TrainingCurves.Write(Path.Combine(arguments.OutputDirectory, "training-curves.png"), $"RepVGG on {dataset}", reparam.Training);
report.PrintTable(Console.Out);
Console.WriteLine($"Wrote {zipPath}, {onnxPath}, report.json and the {test.Count} test images with test-images.tsv to {arguments.OutputDirectory}.");
return 0;

static IReadOnlyList<(string Path, string Label)> WriteTestImages(LabeledImages test, string output)
{
    var files = test.WritePngFiles(Path.Combine(output, "test-images"));
    File.WriteAllLines(Path.Combine(output, "test-images.tsv"), files.Select(f => $"{Path.GetRelativePath(output, f.Path)}\t{f.Label}"));
    return files;
}

internal sealed class ImagePathRow
{
    public string ImagePath { get; set; } = string.Empty;
}

internal sealed class PredictionRow
{
    public string PredictedLabel { get; set; } = string.Empty;
}

