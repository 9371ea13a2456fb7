using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Robustness;
using Microsoft.ML.Reparam.Tools;
using Microsoft.ML.Reparam.Training.Reactivation;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>robustness</c> (issue #15): kill-and-resume in child processes, two fits at once and a canceled fit,
/// the bad-input catalogue, scoring from 8 threads, memory over a long run of epochs and of predictions, and tiny fits
/// under garbage-collector pressure (<see cref="FitStress"/>). <c>--quick</c> shortens the scoring, the epochs and the
/// stress.
/// </summary>
internal sealed class RobustnessSuite : IBenchmarkSuite
{
    /// <summary>The gc-stress measurement of the code before TorchSharp's implicit scalars were replaced, relative to the repository.</summary>
    private const string BeforeFix = "docs/results/gc-stress-before-fix/gc-stress.json";

    public string Name => "robustness";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var quick = arguments.Quick;
        var watch = Stopwatch.StartNew();
        var resume = Resume();
        Console.WriteLine($"resume: {resume}");
        var isolation = Isolation();
        Console.WriteLine($"isolation: {isolation}");
        var badInputs = BadInputs();
        Console.WriteLine($"bad inputs: {badInputs.Summary}");
        var concurrency = Concurrency(threads: 8, perThread: quick ? 1_250 : 10_000, predictions: quick ? 20_000 : 100_000);
        Console.WriteLine($"concurrency: {concurrency}");
        var memory = Memory(epochs: quick ? 30 : 100);
        Console.WriteLine($"memory: {memory}");
        var (gcStress, stressFits) = GcStress(quick);
        Console.WriteLine($"gc stress: {gcStress}");
        var minutes = watch.Elapsed.TotalMinutes;
        var json = new { badInputs = badInputs.Summary, resume, isolation, concurrency, memory, gcStress, minutes };
        return new SuiteResult(json, Markdown(badInputs, resume, isolation, concurrency, memory, (gcStress, stressFits), minutes));
    }

    private static ResumeResult Resume()
    {
        var (uninterrupted, interrupted) = (Directory.CreateTempSubdirectory("robustness-a-").FullName, Directory.CreateTempSubdirectory("robustness-b-").FullName);
        try
        {
            var (epochAfterKill, resumed) = TrainingChildProcess.KillAndResume(uninterrupted, interrupted, seed: 3, new Random(Environment.TickCount));
            var (compared, different, maxAbsDiff) = CheckpointComparison.Compare(uninterrupted, interrupted);
            return new ResumeResult(epochAfterKill == 1 && resumed.SequenceEqual([2, 3, 4]) && different.Count == 0, maxAbsDiff, (int)epochAfterKill, resumed, compared, different);
        }
        finally
        {
            Directory.Delete(uninterrupted, recursive: true);
            Directory.Delete(interrupted, recursive: true);
        }
    }

    private static IsolationResult Isolation()
    {
        var alone = new[] { 1, 2 }.Select(seed => TinyFit.Deployed(seed)).ToList();
        var together = new[] { 1, 2 }.Select(seed => Task.Run(() => TinyFit.Deployed(seed))).ToArray();
        Task.WaitAll(together);
        var identical = alone[0].AsSpan().SequenceEqual(together[0].Result) && alone[1].AsSpan().SequenceEqual(together[1].Result);

        var start = LiveTensors.Count();
        TinyFit.Deployed(1);
        var afterCompleted = LiveTensors.Count();
        using var cancel = new CancellationTokenSource();
        var epochs = new List<int>();
        var canceled = false;
        try
        {
            TinyFit.Deployed(1, token: cancel.Token, progress: p => { epochs.Add(p.Epoch); cancel.Cancel(); });
        }
        catch (OperationCanceledException)
        {
            canceled = true;
        }

        return new IsolationResult(identical, canceled && epochs.SequenceEqual([1]), afterCompleted - start, LiveTensors.Count() - afterCompleted);
    }

    /// <summary>
    /// The fit-level stress with the settings of the committed before-the-fix measurement, beside its figures: ten times
    /// as many fits as failed then, and at least 200 (issue #25); 20 with <c>--quick</c>.
    /// </summary>
    private static (GcStressResult Summary, GcStressFits Now) GcStress(bool quick)
    {
        var path = Path.Combine(RepositoryOutput.Root, BeforeFix);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var before = document.RootElement.GetProperty("fits").Deserialize<GcStressFits>(BenchmarkRunner.JsonOptions)
            ?? throw new InvalidOperationException($"{path} has no fit figures.");
        var fits = quick ? 20 : Math.Max(200, 10 * before.Failures);
        var now = FitStress.Run(new FitStressSettings(fits, before.Epochs, before.Collectors, before.Gen0Size, before.Seeds));
        return (new GcStressResult(now.Fits, now.Failures, before.Fits, before.Failures), now);
    }

    private static (BadInputSummary Summary, IReadOnlyList<BadInputOutcome> Outcomes) BadInputs()
    {
        var outcomes = BadInputCatalog.All.Select(c => c.Try(TimeSpan.FromMinutes(2))).ToList();
        foreach (var outcome in outcomes.Where(o => o.Result != BadInputResult.Clear))
        {
            Console.WriteLine($"  {outcome.Result}: {outcome.Case} — {outcome.Detail}");
        }

        var summary = new BadInputSummary(
            outcomes.Count,
            outcomes.Count(o => o.Result == BadInputResult.Clear),
            outcomes.Count(o => o.Result is BadInputResult.Crash or BadInputResult.Hang),
            outcomes.Count(o => o.Result == BadInputResult.Unclear),
            outcomes.Count(o => o.Result == BadInputResult.Accepted));
        return (summary, outcomes);
    }

    private static ConcurrencyResult Concurrency(int threads, int perThread, int predictions)
    {
        var mlContext = new MLContext(1);
        var fashion = FashionMnist.LoadEmbedded().Test;
        var images = Enumerable.Range(0, 100).Select(fashion.ToMLImage).ToList();
        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(TinyFit.Options(1, epochs: 2)).Fit(TinyFit.Fashion(mlContext, 512));
        var zip = Path.Combine(Directory.CreateTempSubdirectory("robustness-zip-").FullName, "model.zip");
        mlContext.Model.Save(model, null, zip);
        var loaded = mlContext.Model.LoadVerified(zip, out _);
        var reference = ScoringLoad.Reference(mlContext, model, images);
        var mismatches = ScoringLoad.Reference(mlContext, loaded, images).Zip(reference).Count(pair => !pair.First.AsSpan().SequenceEqual(pair.Second));
        var watch = Stopwatch.StartNew();
        mismatches += ScoringLoad.Engines(mlContext, model, images, reference, threads, perThread);
        mismatches += ScoringLoad.Engines(mlContext, loaded, images, reference, threads, perThread);
        var enginesPerSecond = 2.0 * threads * perThread / watch.Elapsed.TotalSeconds;
        mismatches += ScoringLoad.SharedTransform(mlContext, model, images, reference, threads, rounds: perThread / images.Count);
        mismatches += ScoringLoad.SharedTransform(mlContext, loaded, images, reference, threads, rounds: perThread / images.Count);
        var total = (4 * threads * perThread) + (2 * images.Count);

        // Resident memory over many predictions: warm up, then one engine per thread again.
        ScoringLoad.Engines(mlContext, loaded, images, reference, threads, 1_000);
        GC.Collect();
        var startRss = ProcessMemory.CurrentMb();
        mismatches += ScoringLoad.Engines(mlContext, loaded, images, reference, threads, predictions / threads);
        GC.Collect();
        var endRss = ProcessMemory.CurrentMb();
        Directory.Delete(Path.GetDirectoryName(zip)!, recursive: true);
        var disposed = images.Count(i => i.Width != 28);
        images.ForEach(i => i.Dispose());
        return new ConcurrencyResult(threads, total + predictions, mismatches, disposed, Math.Round(enginesPerSecond), predictions, Math.Round(startRss, 1), Math.Round(endRss, 1));
    }

    private static MemoryResult Memory(int epochs)
    {
        var mlContext = new MLContext(1);
        var folder = Directory.CreateTempSubdirectory("robustness-memory-").FullName;
        var samples = new List<(long Tensors, double Rss)>();
        var options = TinyFit.Options(1, epochs);
        options.CheckpointDirectory = folder;
        options.KernelReactivation = new KernelReactivationOptions { Interval = 5 };
        options.Progress = new TinyFit.Reporter(_ => samples.Add((LiveTensors.Count(), ProcessMemory.CurrentMb())));
        using (mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(TinyFit.Fashion(mlContext, 64)))
        {
        }

        Directory.Delete(folder, recursive: true);
        var (start, end) = (samples[1], samples[^1]); // after epoch 2: optimizer state and the best-epoch copy exist
        return new MemoryResult(epochs, Math.Round(start.Rss, 1), Math.Round(end.Rss, 1), start.Tensors, end.Tensors, samples.Max(s => s.Tensors));
    }

    private static string Markdown((BadInputSummary Summary, IReadOnlyList<BadInputOutcome> Outcomes) bad, ResumeResult resume, IsolationResult isolation, ConcurrencyResult concurrency, MemoryResult memory, (GcStressResult Summary, GcStressFits Now) gcStress, double minutes)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Whole suite: {minutes:F1} minutes on this machine (2 cores).").AppendLine();
        text.AppendLine("| check | result |").AppendLine("| --- | --- |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| kill in epoch 2 of 4 (child process), resume in a new process | checkpoint held epoch {resume.EpochAfterKill}; resumed epochs {string.Join(", ", resume.ResumedEpochs)}; {resume.Compared} checkpoint entries compared, {resume.Different.Count} differ; max abs weight difference {resume.MaxAbsDiff:G3}; identical: **{resume.Identical}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| two fits at once (seeds 1, 2) vs one after the other | deployed ONNX bitwise identical: **{isolation.ConcurrentFitsIdentical}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| cancellation after epoch 1 | stopped within the next batch: **{isolation.CanceledWithinABatch}**; TorchSharp's live-tensor count grows by {isolation.TensorCountLeftByACanceledFit} over the canceled fit and by {isolation.TensorCountLeftByACompletedFit} over a completed one (see below) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| bad inputs | {bad.Summary.Tried} tried: {bad.Summary.ClearErrors} clear errors, {bad.Summary.Crashes} crashes or hangs, {bad.Summary.Unclear} unclear, {bad.Summary.Accepted} accepted |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| scoring from {concurrency.Threads} threads (engine per thread, shared Transform; fitted and from .zip) | {concurrency.Predictions} predictions, **{concurrency.Mismatches}** mismatches against one thread; {concurrency.DisposedCallerImages} caller images disposed; {concurrency.EnginePredictionsPerSecond} engine predictions/s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| resident memory over {concurrency.RssPredictions} predictions (8 engines, .zip model) | {concurrency.StartRssMb} MB → {concurrency.EndRssMb} MB |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| {memory.Epochs} epochs (checkpoints, validation, reactivation every 5) | live native tensors {memory.NativeTensorsStart} → {memory.NativeTensorsEnd} (max {memory.NativeTensorsMax}); RSS {memory.StartRssMb} MB → {memory.EndRssMb} MB |");
        var (stress, now) = gcStress;
        text.AppendLine(CultureInfo.InvariantCulture, $"| {stress.Fits} tiny fits under garbage-collector pressure (`DOTNET_GCgen0size={now.Gen0Size}`, {now.Collectors} collector thread(s), child processes; suite `gc-stress`) | **{stress.Failures}** failed (threw, crashed, or deployed other ONNX bytes than without pressure){Failures(now.Messages)}; before the fix ({BeforeFix}): {stress.FailuresBefore} of {stress.FitsBefore} |");
        text.AppendLine().AppendLine("TorchSharp's `Tensor.TotalCount` is not decremented when a `Parameter` takes over the handle of the tensor it wraps, so it grows by one per parameter created even though the parameter's memory is freed with its module (`nn.Conv2d(1, 8, 3)` created and disposed alone leaves +2); the tiny network here has 14 trainable parameters. Equal growth for a canceled and a completed fit means cancellation releases what a completed fit releases. Counts are taken after a full garbage collection.");
        text.AppendLine().AppendLine("Bad inputs (catalogue in test/Shared/BadInputCatalog*.cs):").AppendLine();
        text.AppendLine("| task | input | expected | result | message |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var outcome in bad.Outcomes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {outcome.Case.Task} | {outcome.Case.Input} | {outcome.Case.Expected.Name} | {outcome.Result} | {outcome.Detail.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)} |");
        }

        return text.ToString();
    }

    private static string Failures(IReadOnlyDictionary<string, int> messages) =>
        messages.Count == 0 ? string.Empty : ": " + string.Join("; ", messages.Select(m => $"{m.Key.Replace("|", "\\|", StringComparison.Ordinal)} ×{m.Value}"));

    private sealed record GcStressResult(int Fits, int Failures, int FitsBefore, int FailuresBefore);

    private sealed record ResumeResult(bool Identical, double MaxAbsDiff, int EpochAfterKill, IReadOnlyList<int> ResumedEpochs, int Compared, IReadOnlyList<string> Different);

    private sealed record IsolationResult(bool ConcurrentFitsIdentical, bool CanceledWithinABatch, long TensorCountLeftByACompletedFit, long TensorCountLeftByACanceledFit);

    private sealed record BadInputSummary(int Tried, int ClearErrors, int Crashes, int Unclear, int Accepted);

    private sealed record ConcurrencyResult(int Threads, int Predictions, int Mismatches, int DisposedCallerImages, double EnginePredictionsPerSecond, int RssPredictions, double StartRssMb, double EndRssMb);

    private sealed record MemoryResult(int Epochs, double StartRssMb, double EndRssMb, long NativeTensorsStart, long NativeTensorsEnd, long NativeTensorsMax);
}
