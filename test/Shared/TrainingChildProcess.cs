using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Robustness;

/// <summary>Runs test/TrainingChild, a checkpointed fit in a process of its own, and kills it when asked.</summary>
internal sealed class TrainingChildProcess : IDisposable
{
    private readonly Process _process;

    public TrainingChildProcess(string checkpointDirectory, int epochs, int seed)
    {
        var child = RepositoryOutput.Of("test/TrainingChild", "TrainingChild.dll");
        if (!File.Exists(child))
        {
            throw new FileNotFoundException($"The training child is not built: {child}", child);
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { child, checkpointDirectory, $"{epochs}", $"{seed}" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        Errors = _process.StandardError.ReadToEndAsync();
    }

    public Task<string> Errors { get; }

    /// <summary>Reads the next "epoch N SECONDS" line; returns null at "done" or the end of the output.</summary>
    public (int Epoch, double Seconds)? NextEpoch()
    {
        var line = _process.StandardOutput.ReadLine();
        if (line is null or "done")
        {
            return null;
        }

        var parts = line.Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Kills the process tree at once (no chance to clean up) and waits for it.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Reads the rest of the output; returns the epochs reported with their elapsed seconds, or throws if the process fails or takes over five minutes.</summary>
    public List<(int Epoch, double Seconds)> RunToEnd()
    {
        var epochs = new List<(int, double)>();
        while (NextEpoch() is { } report)
        {
            epochs.Add(report);
        }

        if (!_process.WaitForExit(300_000) || _process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The training child failed: {(_process.HasExited ? $"exit code {_process.ExitCode}" : "timed out")}. {Errors.Result}");
        }

        return epochs;
    }

    /// <summary>
    /// The whole experiment: an uninterrupted 4-epoch fit in one folder, which also times epoch 2 (epoch 1 carries the
    /// warm-up); in another folder, the same fit killed at a random moment of epoch 2 — uniform over 10–60 % of its
    /// duration after the epoch-1 checkpoint is reported — then resumed in a new process. A kill that lands after epoch
    /// 2's checkpoint (a scheduler stall on a busy machine) did not test a mid-epoch kill: the killed run is repeated in an
    /// emptied folder with half the delay, at most three times. Returns the epoch the killed process's checkpoint held
    /// and the epochs the resumed process ran.
    /// </summary>
    public static (long CheckpointEpochAfterKill, List<int> ResumedEpochs) KillAndResume(string uninterrupted, string interrupted, int seed, Random random)
    {
        double epochTwoSeconds;
        using (var whole = new TrainingChildProcess(uninterrupted, 4, seed))
        {
            var times = whole.RunToEnd();
            epochTwoSeconds = times[1].Seconds - times[0].Seconds;
        }

        var epochAfterKill = 0L;
        var window = epochTwoSeconds;
        for (var attempt = 0; attempt < 3 && epochAfterKill != 1; attempt++, window /= 2)
        {
            foreach (var file in Directory.GetFiles(interrupted))
            {
                File.Delete(file);
            }

            using (var killed = new TrainingChildProcess(interrupted, 4, seed))
            {
                _ = killed.NextEpoch() ?? throw new InvalidOperationException($"The training child ended before epoch 1: {killed.Errors.Result}");
                Thread.Sleep(TimeSpan.FromSeconds(window * (0.1 + (0.5 * random.NextDouble()))));
                killed.Kill();
            }

            epochAfterKill = CheckpointComparison.Epoch(interrupted);
        }

        using var resumed = new TrainingChildProcess(interrupted, 4, seed);
        return (epochAfterKill, [.. resumed.RunToEnd().Select(report => report.Epoch)]);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
