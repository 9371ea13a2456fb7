using System.Globalization;

namespace Microsoft.ML.Reparam.Samples.QuickStart;

/// <summary>Command line: <c>[--data DIR] [--epochs N] [--out DIR] [--checkpoint DIR] [--int8]</c>.</summary>
internal sealed record QuickStartArguments(string? DataDirectory, int Epochs, string OutputDirectory, string? CheckpointDirectory = null, bool Int8 = false)
{
    public const string Usage = "usage: QuickStart [--data DIR] [--epochs N] [--out DIR] [--checkpoint DIR] [--int8]\n  --data DIR        Fashion-MNIST IDX files (default: the embedded 10,000/2,000-image subset)\n  --epochs N        training epochs (default 12)\n  --out DIR         output folder (default artifacts/quickstart)\n  --checkpoint DIR  checkpoint after every epoch; run the same command again to resume after an interruption\n  --int8            deploy the INT8 network (calibrated on 256 training images): model.zip and model.onnx are quantized";

    public static QuickStartArguments Parse(string[] args)
    {
        string? data = null;
        var epochs = 12;
        var output = Path.Combine("artifacts", "quickstart");
        string? checkpoint = null;
        var int8 = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--int8")
            {
                int8 = true;
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--data":
                    data = Directory.Exists(value) ? value : throw new ArgumentException($"--data: folder '{value}' does not exist.");
                    break;
                case "--epochs":
                    epochs = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--epochs: '{value}' is not a positive integer.");
                    break;
                case "--out":
                    output = value;
                    break;
                case "--checkpoint":
                    checkpoint = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }

            i++;
        }

        return new QuickStartArguments(data, epochs, output, checkpoint, int8);
    }
}
