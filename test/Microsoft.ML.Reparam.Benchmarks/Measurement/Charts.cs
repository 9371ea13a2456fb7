using System.Diagnostics;
using System.Text.Json;

namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

/// <summary>Draws a suite's bar chart as SUITE.png with tools/TrainingPlots (ScottPlot, in a process of its own: its SkiaSharp 3 breaks ML.NET's image transforms).</summary>
internal static class Charts
{
    /// <summary>Writes STEM.chart.json and draws STEM.png; returns the PNG's path, or null (with a message) when the tool is not built or fails.</summary>
    public static string? Draw(BarChart chart, string stem)
    {
        var json = stem + ".chart.json";
        var png = stem + ".png";
        File.WriteAllText(json, JsonSerializer.Serialize(chart, BenchmarkRunner.JsonOptions));

        // test/Microsoft.ML.Reparam.Benchmarks/bin/<Configuration>/<tfm>/ → tools/TrainingPlots/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tool = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "tools", "TrainingPlots", "bin", output.Parent.Name, output.Name, "TrainingPlots.dll");
        if (!File.Exists(tool))
        {
            Console.WriteLine($"no chart: {tool} is not built");
            return null;
        }

        using var plot = Process.Start(new ProcessStartInfo("dotnet", [tool, "bars", json, png]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var error = plot.StandardError.ReadToEndAsync();
        plot.StandardOutput.ReadToEnd();
        plot.WaitForExit();
        if (plot.ExitCode != 0)
        {
            Console.WriteLine($"no chart: {error.Result}");
            return null;
        }

        return png;
    }
}
