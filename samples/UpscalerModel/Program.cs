using System.Diagnostics;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Samples;
using Microsoft.ML.Reparam.Tools;
using UpscalerModelSample;

// Model Builder-style super-resolution: train on a folder of images, save UpscalerModel.zip, then upscale a held-out
// image through UpscalerModel.Predict — the consumption class an app copies.
// Usage: UpscalerModel [--data FOLDER] [--image FILE] [--epochs N] [--out DIR]
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
if (args.Length % 2 != 0 || options.Keys.Any(k => k is not ("--data" or "--image" or "--epochs" or "--out")))
{
    Console.Error.WriteLine("usage: UpscalerModel [--data FOLDER] [--image FILE] [--epochs N] [--out DIR]");
    return 2;
}

// The CC0 photos of samples/SuperResolution (chelsea.png is held out).
var photos = Path.Combine(RepositoryOutput.Root, "samples", "SuperResolution", "photos");
var output = options.GetValueOrDefault("--out", Path.Combine("artifacts", "upscaler"));
var image = options.GetValueOrDefault("--image", Path.Combine(photos, "chelsea.png"));
var folder = options.GetValueOrDefault("--data") ?? CopyTrainingPhotos(photos, Path.Combine(output, "train"), Path.GetFileName(image));
var epochs = int.Parse(options.GetValueOrDefault("--epochs", "20"), System.Globalization.CultureInfo.InvariantCulture);
Directory.CreateDirectory(output);

var zip = Path.Combine(output, "UpscalerModel.zip");
var watch = Stopwatch.StartNew();
ReparamRestorationTransformer trained;
using (var progress = new ConsoleProgress()) // a live bar on a terminal: nothing else writes to the console until it ends
{
    trained = UpscalerModel.Train(zip, folder, epochs, progress);
}

using (var model = trained)
{
    Console.WriteLine($"trained in {watch.Elapsed.TotalSeconds:F0} s; folded: max relative error {model.FoldError.MaxRelative:E1}; {model.Graph.ParameterCount} parameters; saved {zip}");
    TrainingCurves.Write(Path.Combine(output, "training-curves.png"), "UpscalerModel (ECB x2)", model.Training);
}

// Consumption, as an app does it: only UpscalerModel.consumption.cs and the .zip.
UpscalerModel.MLNetModelPath = Path.GetFullPath(zip);
using var upscaled = UpscalerModel.Predict(new UpscalerModel.ModelInput { ImagePath = Path.GetFullPath(image) }).RestoredImage;
var result = Path.Combine(output, "upscaled.png");
upscaled.Save(result);
Console.WriteLine($"{image} → {result} ({upscaled.Width}x{upscaled.Height})");
return 0;

// The training photos without the held-out one, copied to a folder of their own.
static string CopyTrainingPhotos(string photos, string folder, string heldOut)
{
    Directory.CreateDirectory(folder);
    foreach (var file in Directory.GetFiles(photos, "*.png").Where(f => Path.GetFileName(f) != heldOut))
    {
        File.Copy(file, Path.Combine(folder, Path.GetFileName(file)), overwrite: true);
    }

    return folder;
}
