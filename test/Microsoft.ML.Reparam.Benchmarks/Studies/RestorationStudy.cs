using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>What the super-resolution and denoising studies share: block kinds, image folders, the run record and its table.</summary>
internal static class RestorationStudy
{
    /// <summary>
    /// The block kinds compared: Conv (the deployed network trained as it is, no batch norm) is the baseline; Plain
    /// (convolution + batch norm, the classification baseline) is kept as a row; the NKR generator is the
    /// classification study's best, self-attention.
    /// </summary>
    public static readonly BlockSpec[] Specs =
    [
        BlockKind.Conv, BlockKind.Plain, BlockKind.Ecb, BlockKind.RepVgg, BlockKind.Dbb, BlockKind.Orepa, new BlockSpec(BlockKind.Nkr, KernelGenerator.SelfAttention),
    ];

    public static string Folder(string root, string name) =>
        Directory.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : throw new ArgumentException($"'{root}' has no {name}/ folder; pass --data with the folder that holds it.");

    /// <summary>Loads every image file of a folder, by name, as an image column "Image" (the images stay alive with the view).</summary>
    public static IDataView Load(MLContext mlContext, string folder)
    {
        string[] extensions = [".png", ".bmp", ".jpg", ".jpeg", ".tif"];
        var files = Directory.GetFiles(folder).Where(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new ArgumentException($"'{folder}' holds no images.");
        }

        return mlContext.Data.LoadFromEnumerable(files.Select(f => new ImageRow { Image = MLImage.CreateFromFile(f) }).ToList(), SchemaDefinition.Create(typeof(ImageRow)));
    }

    /// <summary>
    /// The study table: every kind against Conv (the deployed network trained as it is) and against Plain (the same
    /// with batch norm, the training-time structure every batch-normed kind adds branches to), by Welch's t.
    /// </summary>
    public static string Table(IReadOnlyList<RestorationRun> runs, string conditionName, int epochs)
    {
        var text = new StringBuilder();
        text.AppendLine($"| config | {conditionName} | seeds | PSNR dB (mean ± std) | Δ vs Conv dB (t) | Δ vs Plain dB (t) | vs Plain | SSIM | baseline PSNR | deployed parameters | s/epoch | training minutes (2 cores) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var condition in runs.GroupBy(r => r.Condition))
        {
            List<double> Of(BlockKind kind) => [.. condition.Where(r => r.Config == kind.ToString()).Select(r => r.Psnr)];
            var (conv, plain) = (Of(BlockKind.Conv), Of(BlockKind.Plain));
            foreach (var group in condition.GroupBy(r => r.Config))
            {
                var values = group.Select(r => r.Psnr).ToList();
                var (againstConv, againstPlain) = (GroupComparison.Of(group.Key, values, conv), GroupComparison.Of(group.Key, values, plain));
                text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {condition.Key} | {group.Count()} | {againstConv.Accuracy.Format()} | {againstConv.Difference:+0.00;-0.00;0.00} ({againstConv.FormatT()}) | {againstPlain.Difference:+0.00;-0.00;0.00} ({againstPlain.FormatT()}) | {againstPlain.Verdict} | {Summary.Of(group.Select(r => r.Ssim)).Format(1, "F4")} | {group.Average(r => r.BaselinePsnr):F2} | {group.First().Parameters} | {group.Average(r => r.SecondsPerEpoch):F1} | {group.Average(r => r.SecondsPerEpoch) * epochs / 60:F1} |");
            }
        }

        return text.ToString();
    }

    /// <summary>PSNR (mean ± std over seeds) per config for one condition (a scale, a noise level).</summary>
    public static BarChart Chart(IReadOnlyList<RestorationRun> runs, double condition, string title) =>
        new(title, "PSNR dB (mean ± std over seeds)", [.. runs.Where(r => r.Condition == condition).GroupBy(r => r.Config).Select(g => Bar.Of(g.Key, g.Select(r => r.Psnr)))]);

    private sealed class ImageRow
    {
        [ImageType(1, 1)]
        public MLImage Image { get; set; } = null!;
    }
}

/// <summary>One study run, as the JSON records it.</summary>
/// <param name="Task">"super-resolution" or "denoising".</param>
/// <param name="Config">The block kind.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Scale">The scale (super-resolution).</param>
/// <param name="Sigma">The σ it was measured at (denoising).</param>
/// <param name="Psnr">PSNR of the folded model on the test set, dB.</param>
/// <param name="Ssim">SSIM of the folded model.</param>
/// <param name="BaselinePsnr">PSNR of the baseline (bicubic, noisy input) on the same inputs.</param>
/// <param name="Parameters">Deployed parameters.</param>
/// <param name="SecondsPerEpoch">Training seconds per epoch.</param>
/// <param name="FoldMaxRelError">The fit's fold error.</param>
internal sealed record RestorationRun(
    string Task,
    string Config,
    int Seed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Scale,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Sigma,
    double Psnr, double Ssim,
    double BaselinePsnr,
    long Parameters,
    double SecondsPerEpoch,
    double FoldMaxRelError)
{
    [JsonIgnore]
    public double Condition => Scale ?? Sigma ?? 0;
}
