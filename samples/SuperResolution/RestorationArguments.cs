using System.Globalization;
using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam.Samples.SuperResolution;

/// <summary>Command line: <c>[--task sr|denoise] [--data DIR] [--epochs N] [--scale N] [--sigma S] [--block KIND] [--out DIR]</c>.</summary>
internal sealed record RestorationArguments(bool Denoise, string? DataDirectory, int? Epochs, int Scale, float Sigma, BlockKind? Block, string OutputDirectory)
{
    public const string Usage = "usage: SuperResolution [--task sr|denoise] [--data DIR] [--epochs N] [--scale 2|3|4] [--sigma S] [--block KIND] [--out DIR]\n  --task       sr (default): x2 super-resolution; denoise: Gaussian noise of sigma\n  --data DIR   a folder of images (png, jpg, bmp): all but the last (by name) train, the last is held out; default: the embedded CC0 photos\n  --epochs N   training epochs\n  --scale N    super-resolution factor (default 2)\n  --sigma S    noise level on 0-255 (default 25)\n  --block KIND block kind (default Ecb for sr, RepVgg for denoise)\n  --out DIR    output folder (default artifacts/super-resolution or artifacts/denoising)";

    public static RestorationArguments Parse(string[] args)
    {
        var (denoise, data, epochs, scale, sigma, block, output) = (false, (string?)null, (int?)null, 2, 25f, (BlockKind?)null, (string?)null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--task":
                    denoise = value switch { "sr" => false, "denoise" => true, _ => throw new ArgumentException($"--task: '{value}' is not sr or denoise.") };
                    break;
                case "--data":
                    data = Directory.Exists(value) ? value : throw new ArgumentException($"--data: folder '{value}' does not exist.");
                    break;
                case "--epochs":
                    epochs = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e > 0 ? e : throw new ArgumentException($"--epochs: '{value}' is not a positive integer.");
                    break;
                case "--scale":
                    scale = value is "2" or "3" or "4" ? int.Parse(value, CultureInfo.InvariantCulture) : throw new ArgumentException($"--scale: '{value}' is not 2, 3 or 4.");
                    break;
                case "--sigma":
                    sigma = float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : throw new ArgumentException($"--sigma: '{value}' is not a positive number.");
                    break;
                case "--block":
                    block = Enum.TryParse<BlockKind>(value, ignoreCase: true, out var kind) ? kind : throw new ArgumentException($"--block: '{value}' is not one of {string.Join(", ", Enum.GetNames<BlockKind>())}.");
                    break;
                case "--out":
                    output = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.\n{Usage}");
            }

            i++;
        }

        return new RestorationArguments(denoise, data, epochs, scale, sigma, block, output ?? Path.Combine("artifacts", denoise ? "denoising" : "super-resolution"));
    }
}
