using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Measurement;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// Suite <c>gc-stress</c>: makes TorchSharp's <c>Scalar</c> use-after-free (a temporary <c>Scalar</c> finalized by a
/// collection on another thread while native code reads it), and SkiaSharp's in ML.NET's grayscale transform, show up on demand. Layer-level probes count exceptions and
/// wrong results of single calls; the fit-level stress counts tiny fits that throw, crash or deploy other ONNX bytes.
/// Options: <c>--calls</c> per probe (100,000; quick 5,000), <c>--fits</c> (100; quick 10), <c>--epochs</c> per fit (3),
/// <c>--collectors</c> threads (1), <c>--gen0size</c> of the children (0x40000, or "default"), <c>--seeds</c> (1,2,3),
/// <c>--probes TEXT</c> (only the probes whose name contains TEXT).
/// </summary>
internal sealed class GcStressSuite : IBenchmarkSuite
{
    public string Name => "gc-stress";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var watch = Stopwatch.StartNew();
        var calls = int.Parse(arguments.Get("calls") ?? (arguments.Quick ? "5000" : "100000"), CultureInfo.InvariantCulture);
        var defaults = FitStressSettings.Default;
        var settings = new FitStressSettings(
            int.Parse(arguments.Get("fits") ?? (arguments.Quick ? "10" : $"{defaults.Fits}"), CultureInfo.InvariantCulture),
            int.Parse(arguments.Get("epochs") ?? $"{defaults.Epochs}", CultureInfo.InvariantCulture),
            int.Parse(arguments.Get("collectors") ?? $"{defaults.Collectors}", CultureInfo.InvariantCulture),
            arguments.Get("gen0size") ?? defaults.Gen0Size,
            arguments.Get("seeds") is { } seeds ? [.. seeds.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))] : defaults.Seeds);
        var cpu = CpuModel.Name();
        var only = arguments.Get("probes");
        var probes = calls > 0 ? LayerProbes.Run(calls, settings.Collectors, settings.Gen0Size, only) : [];
        var fits = FitStress.Run(settings);
        Console.WriteLine($"fits: {fits.Failures} of {fits.Fits} failed ({fits.Crashes} crashes, {fits.Exceptions} exceptions, {fits.WrongOnnx} wrong ONNX)");
        var minutes = Math.Round(watch.Elapsed.TotalMinutes, 2);
        var json = new { cpu, gen0size = settings.Gen0Size, collectors = settings.Collectors, probeFilter = only, probes, fits, minutes };
        return new SuiteResult(json, Markdown(cpu, settings, probes, fits, minutes));
    }

    private static string Markdown(string cpu, FitStressSettings settings, IReadOnlyList<ProbeResult> probes, GcStressFits fits, double minutes)
    {
        var text = new StringBuilder();
        var gen0 = settings.Gen0Size == "default" ? "the default gen-0 budget" : $"`DOTNET_GCgen0size={settings.Gen0Size}`";
        text.AppendLine(CultureInfo.InvariantCulture, $"CPU: {cpu}. Whole suite: {minutes:F1} minutes. Every probe and fit runs in a child process with {gen0} and {settings.Collectors} collector thread(s) looping `GC.Collect(); GC.WaitForPendingFinalizers();`; a child that dies is counted and replaced.").AppendLine();
        text.AppendLine("Layer-level probes: small tensors ([8, 4, 6, 6]), and image reads of 32 embedded Fashion-MNIST images per call (ML.NET's images are SkiaSharp bitmaps; these probes make the suite's call count divided by 50); a wrong result is a call whose result differs from the one without pressure, or a window of calls whose end state (running statistics and batch count, parameters) differs from that of a subject that made the same calls without pressure (at most one per window).").AppendLine();
        text.AppendLine("| probe | calls | exceptions | wrong results | crashes | seconds | calls per window | first error |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var p in probes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {p.Name} | {p.Calls:N0} | {p.Exceptions} | {p.WrongResults} | {p.Crashes} | {p.Seconds:F1} | {p.Window:N0} | {Cell(p.FirstError ?? "—")} |");
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Fit-level stress: {fits.Fits} tiny classifier fits (widths [8, 16], {fits.Epochs} epochs, 96 embedded Fashion-MNIST images, seeds {string.Join(", ", fits.Seeds)} in turn) in {fits.Children} child process(es), {fits.Minutes:F1} minutes. A fit fails if it throws, if its child dies during it, or if its deployed ONNX bytes differ from a fit of the same seed made without pressure.").AppendLine();
        text.AppendLine("| fits | failures | crashes | exceptions | wrong ONNX | gen-0 collections | gen-2 collections | collector rounds |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| {fits.Fits} | **{fits.Failures}** | {fits.Crashes} | {fits.Exceptions} | {fits.WrongOnnx} | {fits.Gen0Collections:N0} | {fits.Gen2Collections:N0} | {fits.CollectorLoops:N0} |");
        if (fits.Messages.Count > 0)
        {
            text.AppendLine().AppendLine("| failure | fits |").AppendLine("| --- | ---: |");
            foreach (var (message, count) in fits.Messages.OrderByDescending(m => m.Value))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {Cell(message)} | {count} |");
            }
        }

        return text.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
