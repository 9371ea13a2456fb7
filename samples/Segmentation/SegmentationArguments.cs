using System.Globalization;

namespace Microsoft.ML.Reparam.Samples.Segmentation;

/// <summary>Command line: <c>[--data DIR] [--epochs N] [--images N] [--out DIR]</c>.</summary>
internal sealed record SegmentationArguments(string? DataDirectory, int? Epochs, int? Images, string OutputDirectory)
{
    public const string Usage = "usage: Segmentation [--data DIR] [--epochs N] [--images N] [--out DIR]\n  --data DIR   a folder with image/N.png and label/N.png (the ISBI 2012 slices: 0-19 train, 20-23 validate); default: embedded synthetic scenes\n  --epochs N   training epochs (default 30 for scenes, 40 for --data)\n  --images N   synthetic scenes to make (default 1000; a fifth validate)\n  --out DIR    output folder (default artifacts/segmentation)";

    public static SegmentationArguments Parse(string[] args)
    {
        string? data = null;
        int? epochs = null;
        int? images = null;
        var output = Path.Combine("artifacts", "segmentation");
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--data":
                    data = Directory.Exists(value) ? value : throw new ArgumentException($"--data: folder '{value}' does not exist.");
                    break;
                case "--epochs":
                    epochs = Positive(value, "--epochs");
                    break;
                case "--images":
                    images = Positive(value, "--images") is var n && n >= 10 ? n : throw new ArgumentException("--images: at least 10.");
                    break;
                case "--out":
                    output = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }

            i++;
        }

        return new SegmentationArguments(data, epochs, images, output);
    }

    private static int Positive(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name}: '{value}' is not a positive integer.");
}
