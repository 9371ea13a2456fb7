using System.Diagnostics;

namespace Microsoft.ML.Reparam.Tools;

/// <summary>
/// Runs tools/TrainingPlots (ScottPlot) in a process of its own: ScottPlot needs SkiaSharp 3, which breaks ML.NET's image
/// transforms (SkiaSharp 2.88) in the same process. Linked into the samples and the benchmarks.
/// </summary>
internal static class PlotTool
{
    /// <summary>Draws <paramref name="json"/> as <paramref name="png"/> ("curves" or "bars"); returns null on success, else why not.</summary>
    public static string? Draw(string kind, string json, string png)
    {
        var tool = RepositoryOutput.Of("tools/TrainingPlots", "TrainingPlots.dll");
        if (!File.Exists(tool))
        {
            return $"{tool} is not built";
        }

        using var plot = Process.Start(new ProcessStartInfo("dotnet", [tool, kind, json, png]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = plot.StandardError.ReadToEndAsync();
        plot.StandardOutput.ReadToEnd();
        plot.WaitForExit();
        return plot.ExitCode == 0 ? null : error.Result;
    }
}
