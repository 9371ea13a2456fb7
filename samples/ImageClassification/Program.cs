using System.Diagnostics;
using System.Globalization;
using ImageClassification;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Samples;
using Microsoft.ML.Reparam.Tools;

// Model Builder-style image classification: train on an image folder (one sub-folder per class), save
// FashionModel.zip, then classify images through FashionModel.Predict — the consumption class an app copies.
// Usage: ImageClassification [--data FOLDER] [--test FOLDER] [--epochs N] [--out DIR]
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
var unknown = args.Chunk(2).Where(pair => pair.Length != 2 || pair[0] is not ("--data" or "--test" or "--epochs" or "--out")).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine("usage: ImageClassification [--data FOLDER] [--test FOLDER] [--epochs N] [--out DIR]");
    return 2;
}

var output = options.GetValueOrDefault("--out", Path.Combine("artifacts", "image-classification"));
var epochs = int.Parse(options.GetValueOrDefault("--epochs", "5"), CultureInfo.InvariantCulture);
var (trainFolder, testFolder) = options.TryGetValue("--data", out var data)
    ? (data, options.GetValueOrDefault("--test", data))
    : WriteEmbeddedFolders(Path.Combine(output, "fashion"));
Console.WriteLine($"training on {trainFolder} ({epochs} epochs)");

var zip = Path.Combine(output, "FashionModel.zip");
var watch = Stopwatch.StartNew();
ReparamConvTransformer trained;
using (var progress = new ConsoleProgress()) // a live bar on a terminal: nothing else writes to the console until it ends
{
    trained = FashionModel.Train(zip, trainFolder, epochs, progress);
}

using (var model = trained)
{
    Console.WriteLine($"trained in {watch.Elapsed.TotalSeconds:F0} s; folded: max relative error {model.FoldError.MaxRelative:E1}; saved {zip}");
    TrainingCurves.Write(Path.Combine(output, "training-curves.png"), "FashionModel (RepVGG)", model.Training);
}

// Consumption, as an app does it: only FashionModel.consumption.cs and the .zip.
FashionModel.MLNetModelPath = Path.GetFullPath(zip);
var testImages = Directory.GetDirectories(testFolder).Order(StringComparer.Ordinal)
    .SelectMany(c => Directory.GetFiles(c).Order(StringComparer.Ordinal).Select(f => (Path: f, Label: Path.GetFileName(c))))
    .ToList();
var predictions = testImages.Select(image => FashionModel.Predict(new FashionModel.ModelInput { ImagePath = image.Path })).ToList();
foreach (var (image, prediction) in testImages.Zip(predictions).Where((_, i) => i % (testImages.Count / 5) == 0).Take(5))
{
    Console.WriteLine($"{Path.GetRelativePath(testFolder, image.Path),-28} → {prediction.PredictedLabel} ({prediction.Score.Max():P1})");
}

var correct = testImages.Zip(predictions).Count(pair => pair.First.Label == pair.Second.PredictedLabel);
Console.WriteLine($"accuracy on {testImages.Count} test images in {testFolder}: {100.0 * correct / testImages.Count:F2} %");
return 0;

// The embedded Fashion-MNIST subset written as folders: train/<class>/ (300 per class) and test/<class>/ (50 per class).
static (string Train, string Test) WriteEmbeddedFolders(string root)
{
    var (train, test) = FashionMnist.LoadEmbedded();
    return (Write(train, Path.Combine(root, "train"), 300), Write(test, Path.Combine(root, "test"), 50));

    static string Write(LabeledImages images, string folder, int perClass)
    {
        var written = new int[images.ClassNames.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var label = images.Labels[i];
            if (written[label] == perClass)
            {
                continue;
            }

            var classFolder = Directory.CreateDirectory(Path.Combine(folder, images.ClassNames[label].Replace('/', '-'))).FullName;
            var path = Path.Combine(classFolder, $"{i:D5}.png");
            if (!File.Exists(path))
            {
                using var image = images.ToMLImage(i);
                image.Save(path);
            }

            written[label]++;
        }

        return folder;
    }
}

