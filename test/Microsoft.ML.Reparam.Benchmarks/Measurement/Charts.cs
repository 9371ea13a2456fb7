using System.Text.Json;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

/// <summary>Draws a suite's bar chart as SUITE.png (<see cref="PlotTool"/>).</summary>
internal static class Charts
{
    /// <summary>Writes STEM.chart.json and draws STEM.png; returns the PNG's path, or null (with a message) when the tool is not built or fails.</summary>
    public static string? Draw(BarChart chart, string stem)
    {
        var json = stem + ".chart.json";
        var png = stem + ".png";
        File.WriteAllText(json, JsonSerializer.Serialize(chart, BenchmarkRunner.JsonOptions));

        if (PlotTool.Draw("bars", json, png) is { } problem)
        {
            Console.WriteLine($"no chart: {problem}");
            return null;
        }

        return png;
    }
}
