using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam.Tools;

/// <summary>
/// Writes a fit's history as JSON and draws it as a PNG — loss, the validation metric and the learning rate per epoch,
/// and learned strides when DiffStride is on — with tools/TrainingPlots (<see cref="PlotTool"/>).
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

        Console.WriteLine(PlotTool.Draw("curves", jsonPath, pngPath) is { } problem ? $"training curves not drawn ({problem}); history: {jsonPath}" : $"training curves: {pngPath}");
    }

    /// <summary>The learned strides the stride hook reports in an epoch's message ("strides [1.50×1.50, 2.00×2.00]"), or null.</summary>
    public static double[]? Strides(string? message) =>
        message is not null && StridesPattern().Match(message) is { Success: true } match
            ? [.. NumberPattern().Matches(match.Groups[1].Value).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture))]
            : null;

    [GeneratedRegex(@"strides \[([^\]]*)\]")]
    private static partial Regex StridesPattern();

    [GeneratedRegex(@"[0-9]+(\.[0-9]+)?")]
    private static partial Regex NumberPattern();
}
