using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam.Samples;

/// <summary>
/// Writes a fit's history as JSON and draws it as a PNG — loss, the validation metric and the learning rate per epoch,
/// and learned strides when DiffStride is on — with tools/TrainingPlots. That tool runs in a process of its own:
/// ScottPlot needs SkiaSharp 3, which breaks ML.NET's image transforms (SkiaSharp 2.88) in the same process.
/// </summary>
internal static partial class TrainingCurves
{
    public static void Write(string pngPath, string title, TrainingResult training)
    {
        var jsonPath = Path.ChangeExtension(pngPath, ".json");
        var metricName = training.History.FirstOrDefault()?.MetricName ?? "metric";
        var epochs = training.History.Select(p => new
        {
            epoch = p.Epoch,
            trainLoss = p.TrainLoss,
            trainMetric = p.TrainMetric,
            validationMetric = p.ValidationMetric,
            learningRate = p.LearningRate,
            strides = Strides(p.Message),
        });
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(new { title, metricName, epochs }));

        // samples/<name>/bin/<Configuration>/<tfm>/ → tools/TrainingPlots/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tool = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "tools", "TrainingPlots", "bin", output.Parent.Name, output.Name, "TrainingPlots.dll");
        if (!File.Exists(tool))
        {
            Console.WriteLine($"training history: {jsonPath} (no plot: {tool} is not built)");
            return;
        }

        using var plot = Process.Start(new ProcessStartInfo("dotnet", [tool, "curves", jsonPath, pngPath]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = plot.StandardError.ReadToEndAsync();
        plot.StandardOutput.ReadToEnd();
        plot.WaitForExit();
        Console.WriteLine(plot.ExitCode == 0 ? $"training curves: {pngPath}" : $"training curves not drawn: {error.Result}");
    }

    /// <summary>The learned strides the stride hook reports in an epoch's message ("strides [1.50×1.50, 2.00×2.00]"), or null.</summary>
    private static double[]? Strides(string? message) =>
        message is not null && StridesPattern().Match(message) is { Success: true } match
            ? [.. NumberPattern().Matches(match.Groups[1].Value).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))]
            : null;

    [GeneratedRegex(@"strides \[([^\]]*)\]")]
    private static partial Regex StridesPattern();

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?")]
    private static partial Regex NumberPattern();
}
