using System.Text.Json;
using Microsoft.ML;

using Microsoft.ML.Data;

// Usage: StockMLNetConsumer MODEL.zip IMAGES.tsv            (a classifier)
//        StockMLNetConsumer segment MODEL.zip IMAGES.txt    (a segmenter)
// IMAGES.tsv: one "path<TAB>label" line per image; relative paths are relative to the TSV's folder. The model's input is an "ImagePath" text column; its outputs are
// "PredictedLabel" (the class name) and "Score" (the class probabilities), read the way any ML.NET user reads them.
// Prints {"images":N,"accuracy":A,"predictions":[...],"maxScores":[...]} as JSON.
// IMAGES.txt: one image path per line. The segmenter's input is "ImagePath"; its output "PredictedMask" is a key-typed vector.
// Prints {"images":N,"dimensions":[H,W],"classNames":[...],"masks":[[key, ...], ...]} as JSON (key k is class k − 1).
//        StockMLNetConsumer restore MODEL.zip IMAGES.txt OUTDIR    (a super-resolution model or denoiser)
// The restorer's input is "ImagePath"; its output "RestoredImage" is an image, saved as OUTDIR/<n>.png.
// Prints {"images":N,"width":W,"height":H,"files":[...]} as JSON.
//        StockMLNetConsumer compare MODEL.zip PHOTOS.txt OUTDIR SCALE    (a super-resolution model against ML.NET's resize)
// Each photo is centre-cropped and resized by ML.NET to the model's output size (the reference), shrunk by SCALE with
// ML.NET's resize (the input), then enlarged by the model and by ML.NET's resize; prints both PSNRs on 8-bit luma
// (BT.601, SCALE pixels of border left out) per photo and their means, and writes the four images of each photo.
if (args.Length == 5 && args[0] == "compare")
{
    return Compare.Run(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length == 3 && args[0] == "segment")
{
    return Segment(args[1], args[2]);
}

if (args.Length == 4 && args[0] == "restore")
{
    return Restore(args[1], args[2], args[3]);
}

if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: StockMLNetConsumer MODEL.zip IMAGES.tsv | StockMLNetConsumer segment MODEL.zip IMAGES.txt");
    return 2;
}

var mlContext = new MLContext(seed: 0);
var model = mlContext.Model.Load(args[0], out _);
var rows = File.ReadAllLines(args[1])
    .Where(line => line.Length > 0)
    .Select(line => line.Split('\t'))
    .Select(parts => new ImageRow { ImagePath = Path.GetFullPath(parts[0], Path.GetDirectoryName(Path.GetFullPath(args[1]))!), Label = parts[1] })
    .ToList();
var scored = model.Transform(mlContext.Data.LoadFromEnumerable(rows));
var results = mlContext.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).ToList();

var predictions = results.Select(r => r.PredictedLabel).ToList();
var correct = predictions.Where((p, i) => p == rows[i].Label).Count();
Console.WriteLine(JsonSerializer.Serialize(new
{
    images = rows.Count,
    accuracy = rows.Count == 0 ? 0 : (double)correct / rows.Count,
    predictions,
    maxScores = results.Select(r => r.Score.Max()),
}));
return 0;

static int Segment(string zip, string list)
{
    var mlContext = new MLContext(seed: 0);
    var model = mlContext.Model.Load(zip, out _);
    var rows = File.ReadAllLines(list).Where(line => line.Length > 0).Select(path => new ImageRow { ImagePath = Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(list))!) }).ToList();
    var scored = model.Transform(mlContext.Data.LoadFromEnumerable(rows));
    var column = scored.Schema["PredictedMask"];
    VBuffer<ReadOnlyMemory<char>> names = default;
    column.GetKeyValues(ref names);
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        images = rows.Count,
        dimensions = ((VectorDataViewType)column.Type).Dimensions,
        classNames = names.DenseValues().Select(n => n.ToString()),
        masks = scored.GetColumn<VBuffer<uint>>(column).Select(mask => mask.DenseValues().ToArray()),
    }));
    return 0;
}

static int Restore(string zip, string list, string outputFolder)
{
    var mlContext = new MLContext(seed: 0);
    var model = mlContext.Model.Load(zip, out _);
    var rows = File.ReadAllLines(list).Where(line => line.Length > 0).Select(path => new ImageRow { ImagePath = Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(list))!) }).ToList();
    var scored = model.Transform(mlContext.Data.LoadFromEnumerable(rows));
    Directory.CreateDirectory(outputFolder);
    var files = new List<string>();
    var (width, height) = (0, 0);
    foreach (var image in scored.GetColumn<MLImage>("RestoredImage"))
    {
        var file = Path.Combine(outputFolder, $"{files.Count}.png");
        image.Save(file);
        (width, height) = (image.Width, image.Height);
        files.Add(file);
    }

    Console.WriteLine(JsonSerializer.Serialize(new { images = files.Count, width, height, files }));
    return 0;
}

internal sealed class ImageRow
{
    public string ImagePath { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

internal sealed class Prediction
{
    public string PredictedLabel { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
