using System.Diagnostics;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Samples;
using Microsoft.ML.Reparam.Tools;
using SegmenterModelSample;

// Model Builder-style segmentation: train on an images folder and a masks folder, save SegmenterModel.zip, then
// segment held-out images through SegmenterModel.Predict — the consumption class an app copies.
// Usage: SegmenterModel [--epochs N] [--out DIR]
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
if (args.Length % 2 != 0 || options.Keys.Any(k => k is not ("--epochs" or "--out")))
{
    Console.Error.WriteLine("usage: SegmenterModel [--epochs N] [--out DIR]");
    return 2;
}

var output = options.GetValueOrDefault("--out", Path.Combine("artifacts", "segmenter"));
var epochs = int.Parse(options.GetValueOrDefault("--epochs", "8"), System.Globalization.CultureInfo.InvariantCulture);
var scenes = SegmentationImages.Synthetic(300, size: SegmenterModel.Size, seed: 1);
var (train, test) = (scenes.Slice(50, 250), scenes.Slice(0, 50));
var (images, masks) = Write(train, Path.Combine(output, "train"));
var (testImages, testMasks) = Write(test, Path.Combine(output, "test"));

var zip = Path.Combine(output, "SegmenterModel.zip");
var watch = Stopwatch.StartNew();
ReparamSegmentationTransformer trained;
using (var progress = new ConsoleProgress()) // a live bar on a terminal: nothing else writes to the console until it ends
{
    trained = SegmenterModel.Train(zip, images, masks, scenes.ClassNames!, epochs, progress);
}

using (var model = trained)
{
    Console.WriteLine($"trained in {watch.Elapsed.TotalSeconds:F0} s; folded: max relative error {model.FoldError.MaxRelative:E1}; saved {zip}");
    TrainingCurves.Write(Path.Combine(output, "training-curves.png"), "SegmenterModel (RepVGG U-Net)", model.Training);
}

// Consumption, as an app does it: only SegmenterModel.consumption.cs and the .zip.
SegmenterModel.MLNetModelPath = Path.GetFullPath(zip);
var (correct, total) = (0L, 0L);
foreach (var (file, index) in Directory.GetFiles(testImages, "*.png").Order(StringComparer.Ordinal).Select((f, i) => (f, i)))
{
    var mask = SegmenterModel.Predict(new SegmenterModel.ModelInput { ImagePath = Path.GetFullPath(file) }).PredictedMask;
    var truth = test.Masks.AsSpan(index * mask.Length, mask.Length);
    for (var p = 0; p < mask.Length; p++)
    {
        correct += mask[p] - 1 == truth[p] ? 1 : 0;
    }

    total += mask.Length;
}

Console.WriteLine($"pixel accuracy on {test.Count} held-out scenes through SegmenterModel.Predict: {100.0 * correct / total:F2} %");
return 0;

// Writes every scene as images/NNN.png and its mask (class ids as gray values) as masks/NNN.png.
static (string Images, string Masks) Write(SegmentationImages scenes, string folder)
{
    var (images, masks) = (Directory.CreateDirectory(Path.Combine(folder, "images")).FullName, Directory.CreateDirectory(Path.Combine(folder, "masks")).FullName);
    for (var i = 0; i < scenes.Count; i++)
    {
        using var image = scenes.ImageAt(i);
        using var mask = scenes.MaskAt(i);
        image.Save(Path.Combine(images, $"{i:D3}.png"));
        mask.Save(Path.Combine(masks, $"{i:D3}.png"));
    }

    return (images, masks);
}
