using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Reparam.Benchmarks.Measurement;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// Fit-level stress: many tiny classifier fits (<see cref="TinyFit"/>) in child processes whose gen-0 budget is small
/// and whose collector threads run throughout. A fit fails if it throws, if its child dies during it, or if its deployed
/// ONNX bytes differ from a fit of the same seed made in this process without pressure.
/// </summary>
internal static class FitStress
{
    public const string ChildCommand = "gc-stress-child";

    public static GcStressFits Run(FitStressSettings settings)
    {
        var watch = Stopwatch.StartNew();
        var references = Directory.CreateTempSubdirectory("gc-stress-").FullName;
        try
        {
            foreach (var seed in settings.Seeds)
            {
                var (first, second) = (TinyFit.Deployed(seed, settings.Epochs), TinyFit.Deployed(seed, settings.Epochs));
                if (!first.AsSpan().SequenceEqual(second))
                {
                    throw new InvalidOperationException($"Two fits of seed {seed} without pressure deploy different ONNX models: no reference.");
                }

                File.WriteAllBytes(ReferencePath(references, seed), first);
            }

            var tally = new FitTally(settings.Fits);
            while (tally.Next < settings.Fits)
            {
                var arguments = new[] { ChildCommand, Text(tally.Next), Text(settings.Fits - tally.Next), Text(settings.Epochs), Text(settings.Collectors), references }
                    .Concat(settings.Seeds.Select(Text));
                var exitCode = StressChild.Run(arguments, StressChild.Gen0Environment(settings.Gen0Size), tally.Read, TimeSpan.FromMinutes(5));
                tally.ChildEnded(exitCode);
            }

            return tally.Result(settings, watch.Elapsed.TotalMinutes);
        }
        finally
        {
            Directory.Delete(references, recursive: true);
        }
    }

    /// <summary>
    /// The child: <c>gc-stress-child FROM COUNT EPOCHS COLLECTORS REFERENCES SEED...</c>; fit K uses the seed at K modulo
    /// the seeds' count. Prints "fit K ok" or "fit K failed: MESSAGE" per fit, then "gc GEN0 GEN2 LOOPS" (counts so far).
    /// </summary>
    public static int RunChild(string[] args)
    {
        var from = int.Parse(args[1], CultureInfo.InvariantCulture);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var epochs = int.Parse(args[3], CultureInfo.InvariantCulture);
        var collectors = int.Parse(args[4], CultureInfo.InvariantCulture);
        var seeds = args[6..].Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var references = seeds.Distinct().ToDictionary(seed => seed, seed => File.ReadAllBytes(ReferencePath(args[5], seed)));
        using var pressure = new CollectorPressure(collectors);
        for (var fit = from; fit < from + count; fit++)
        {
            var seed = seeds[fit % seeds.Count];
            string outcome;
            try
            {
                outcome = TinyFit.Deployed(seed, epochs).AsSpan().SequenceEqual(references[seed]) ? "ok" : $"failed: {FitTally.WrongOnnx}";
            }
            catch (Exception exception)
            {
                outcome = $"failed: {StressChild.Describe(exception)}";
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fit {fit} {outcome}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gc {GC.CollectionCount(0)} {GC.CollectionCount(2)} {pressure.Loops}"));
        }

        return 0;
    }

    private static string ReferencePath(string folder, int seed) => Path.Combine(folder, $"seed-{seed.ToString(CultureInfo.InvariantCulture)}.onnx");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The settings of a fit-level stress run: fits, epochs per fit, collector threads per child, the children's <c>DOTNET_GCgen0size</c>, the seeds cycled.</summary>
internal sealed record FitStressSettings(int Fits, int Epochs, int Collectors, string Gen0Size, IReadOnlyList<int> Seeds)
{
    public static FitStressSettings Default { get; } = new(100, 3, 1, "0x40000", [1, 2, 3]);
}

/// <summary>
/// The result of a fit-level stress run: fits, failures (= crashes + exceptions + wrong ONNX), and each failure message's
/// count; children started, and the collections and collector rounds their runtimes counted up to each child's last reported fit.
/// </summary>
internal sealed record GcStressFits(
    int Fits,
    int Failures,
    int Crashes,
    int Exceptions,
    int WrongOnnx,
    IReadOnlyDictionary<string, int> Messages,
    int Epochs,
    int Collectors,
    string Gen0Size,
    IReadOnlyList<int> Seeds,
    int Children,
    long Gen0Collections,
    long Gen2Collections,
    long CollectorLoops,
    double Minutes);
