using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Optimizers;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// The layer-level probes of <c>gc-stress</c> and how they run: each probe in child processes of its own (a native
/// crash ends only the child, which is counted and replaced), a window of calls at a time under collector threads.
/// Add a probe to <see cref="All"/> to measure another call.
/// </summary>
internal static class LayerProbes
{
    public const string ChildCommand = "gc-stress-probe";

    /// <summary>Gets the probes, in the order they run. TorchSharp's own calls that convert a number to a <c>Scalar</c> come first, then the library's replacements of them, then ML.NET's grayscale transform and the library's image reading that replaced it (docs/training.md, "Native calls").</summary>
    public static IReadOnlyList<LayerProbe> All { get; } =
    [
        new("TorchSharp BatchNorm2d.forward (train)", () => new TrainingForwardSubject(nn.BatchNorm2d(4), [8, 4, 6, 6])),
        new("TorchSharp Tensor + Tensor", () => new ElementwiseSubject((a, b) => a + b)),
        new("TorchSharp Tensor * double", () => new ElementwiseSubject((a, _) => a * 1.7)),
        new("TorchSharp optim.SGD(momentum 0.9, weight_decay 1e-4).step()", () => OptimizerSubject.OfTorchSharp(p => optim.SGD(p, 0.01, momentum: 0.9, weight_decay: 1e-4))),
        new("TorchSharp optim.AdamW(weight_decay 0.01).step()", () => OptimizerSubject.OfTorchSharp(p => optim.AdamW(p, 1e-3, weight_decay: 0.01))),
        new("Library BatchNormalization.forward (train)", () => new TrainingForwardSubject(new BatchNormalization(4), [8, 4, 6, 6])),
        new("Library Tensor.Plus(Tensor)", () => new ElementwiseSubject((a, b) => a.Plus(b))),
        new("Library Tensor.Times(double)", () => new ElementwiseSubject((a, _) => a.Times(1.7))),
        new("Library SgdMomentumOptimizer(momentum 0.9, weight_decay 1e-4).Step()", () => OptimizerSubject.OfLibrary(groups => new SgdMomentumOptimizer(groups, 0.01, 0.9), 1e-4)),
        new("Library AdamWOptimizer(weight_decay 0.01).Step()", () => OptimizerSubject.OfLibrary(groups => new AdamWOptimizer(groups, 1e-3, beta1: 0.9), 0.01)),
        new("ML.NET ConvertToGrayscale + ExtractPixels, 32 images", () => new StockGrayscaleSubject(32), Window: 20, Cost: 50),
        new("Library image read of a fit, 32 gray images", () => new ImageReadSubject(32, 1), Window: 20, Cost: 50),
        new("Library image read of a fit, 32 colour images", () => new ImageReadSubject(32, 3), Window: 20, Cost: 50),
    ];

    /// <summary>Runs every probe whose name contains <paramref name="only"/> (all when null) for <paramref name="calls"/> calls divided by its cost (rounded up to whole windows).</summary>
    public static List<ProbeResult> Run(int calls, int collectors, string gen0size, string? only = null)
    {
        var results = new List<ProbeResult>();
        for (var index = 0; index < All.Count; index++)
        {
            if (only is not null && !All[index].Name.Contains(only, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var result = RunProbe(index, Math.Max(1, calls / All[index].Cost), collectors, gen0size);
            Console.WriteLine($"{result.Name}: {result.Calls} calls, {result.Exceptions} exceptions, {result.WrongResults} wrong, {result.Crashes} crashes, {result.Seconds:F1} s{(result.FirstError is null ? string.Empty : $"; first: {result.FirstError}")}");
            results.Add(result);
        }

        return results;
    }

    /// <summary>The child: <c>gc-stress-probe INDEX CALLS COLLECTORS</c>; prints "window CALLS EXCEPTIONS WRONG SECONDS" per window and "error TEXT" for its first exception.</summary>
    public static int RunChild(string[] args)
    {
        var probe = All[int.Parse(args[1], CultureInfo.InvariantCulture)];
        var calls = int.Parse(args[2], CultureInfo.InvariantCulture);
        var collectors = int.Parse(args[3], CultureInfo.InvariantCulture);
        var reference = Reference(probe);
        var reported = false;
        for (var done = 0; done < calls; done += probe.Window)
        {
            using var subject = probe.Create();
            var (exceptions, wrong) = (0, 0);
            string? error = null;
            var watch = Stopwatch.StartNew();
            using (new CollectorPressure(collectors))
            {
                for (var call = 0; call < probe.Window; call++)
                {
                    try
                    {
                        wrong += subject.Call() ? 0 : 1;
                    }
                    catch (Exception exception)
                    {
                        exceptions++;
                        error ??= StressChild.Describe(exception);
                    }
                }
            }

            var seconds = watch.Elapsed.TotalSeconds;
            wrong += exceptions == 0 && !subject.State().SequenceEqual(reference) ? 1 : 0;
            if (error is not null && !reported)
            {
                Console.WriteLine($"error {error}");
                reported = true;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"window {probe.Window} {exceptions} {wrong} {seconds:R}"));
        }

        return 0;
    }

    private static double[] Reference(LayerProbe probe)
    {
        using var subject = probe.Create();
        for (var call = 0; call < probe.Window; call++)
        {
            if (!subject.Call())
            {
                throw new InvalidOperationException($"Probe '{probe.Name}' gives a wrong result without pressure.");
            }
        }

        return subject.State();
    }

    private static ProbeResult RunProbe(int index, int calls, int collectors, string gen0size)
    {
        var probe = All[index];
        var result = new ProbeResult(probe.Name, probe.Window, 0, 0, 0, 0, 0, null);
        while (result.Calls < calls)
        {
            var arguments = new[] { ChildCommand, $"{index}", (calls - result.Calls).ToString(CultureInfo.InvariantCulture), $"{collectors}" };
            var exitCode = StressChild.Run(arguments, StressChild.Gen0Environment(gen0size), line => result = Add(result, line), TimeSpan.FromMinutes(5));
            if (exitCode != 0)
            {
                // The window in progress died with the child: count it as made, and the death as a crash.
                result = result with { Calls = result.Calls + probe.Window, Crashes = result.Crashes + 1, FirstError = result.FirstError ?? StressChild.Crash(exitCode) };
            }
        }

        return result;
    }

    private static ProbeResult Add(ProbeResult result, string line)
    {
        var parts = line.Split(' ');
        return parts[0] switch
        {
            "error" => result with { FirstError = result.FirstError ?? line["error ".Length..] },
            "window" => result with
            {
                Calls = result.Calls + long.Parse(parts[1], CultureInfo.InvariantCulture),
                Exceptions = result.Exceptions + long.Parse(parts[2], CultureInfo.InvariantCulture),
                WrongResults = result.WrongResults + long.Parse(parts[3], CultureInfo.InvariantCulture),
                Seconds = result.Seconds + double.Parse(parts[4], CultureInfo.InvariantCulture),
            },
            _ => result,
        };
    }
}
