using System.Text.Json;

namespace Microsoft.ML.Reparam.Samples.QuickStart;

/// <summary>What the main job measured; written as report.json (camelCase) and printed as a table.</summary>
internal sealed class QuickStartReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public required string Dataset { get; init; }

    public required string BlockKind { get; init; }

    public required int Epochs { get; init; }

    public required int TrainImages { get; init; }

    public required int TestImages { get; init; }

    public required double AccuracyUnfolded { get; init; }

    public required double AccuracyFolded { get; init; }

    /// <summary>Gets the fraction of test images on which the folded model.zip and the trained network predict the same class.</summary>
    public required double PredictionAgreement { get; init; }

    public required double FoldMaxAbsError { get; init; }

    public required double FoldMaxRelError { get; init; }

    public required double OnnxMaxAbsError { get; init; }

    public required int FoldCheckImages { get; init; }

    public required double MsPerImageUnfoldedTorch { get; init; }

    public required double MsPerImageFoldedOnnx { get; init; }

    public required double TrainSeconds { get; init; }

    public required int BestEpoch { get; init; }

    public required long ParameterCountFolded { get; init; }

    /// <summary>Gets what INT8 deployment measured (--int8), or null for a float model; then the folded columns are the INT8 model's.</summary>
    public required string? Quantization { get; init; }

    public required string Command { get; init; }

    public void Write(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    public void PrintTable(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine($"| {"",-34} | {"unfolded (TorchSharp)",21} | {(Quantization is null ? "folded (ONNX, model.zip)" : "folded INT8 (model.zip)"),24} |");
        writer.WriteLine($"|{new string('-', 36)}|{new string('-', 23)}|{new string('-', 26)}|");
        writer.WriteLine($"| {$"test accuracy ({TestImages} images)",-34} | {AccuracyUnfolded,21:P2} | {AccuracyFolded,24:P2} |");
        writer.WriteLine($"| {"ms per image (batch 1)",-34} | {MsPerImageUnfoldedTorch,21:F3} | {MsPerImageFoldedOnnx,24:F3} |");
        writer.WriteLine();
        writer.WriteLine($"fold error on {FoldCheckImages} held-back images: max abs {FoldMaxAbsError:E2}, max rel {FoldMaxRelError:E2}; ONNX max abs {OnnxMaxAbsError:E2}");
        if (Quantization is not null)
        {
            writer.WriteLine(Quantization);
        }

        writer.WriteLine($"same prediction on {PredictionAgreement:P2} of test images; trained {TrainSeconds:F0} s ({Epochs} epochs, best epoch {BestEpoch}); folded parameters {ParameterCountFolded:N0}");
    }
}
