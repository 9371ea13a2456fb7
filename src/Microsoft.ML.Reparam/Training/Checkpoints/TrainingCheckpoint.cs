using System.Text.Json;
using Microsoft.ML.Reparam.Training.Optimizers;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>
/// Saves the whole training position after an epoch — model, optimizer, schedule step, batch order, every generator,
/// best epoch and its weights, history and hook state — and resumes from it (docs/training.md, "Checkpoints").
/// </summary>
internal static class TrainingCheckpoint
{
    public static void Save(CheckpointPlan plan, TrainingState state, nn.Module model, TrainingOptimizer optimizer, EpochRunner runner, IReadOnlyList<ITrainingHook> hooks, double seconds)
    {
        var writer = new CheckpointWriter();
        foreach (var (key, value) in plan.Run)
        {
            writer.Add($"run/{key}", value);
        }

        writer.Add("epoch", [state.Epoch]);
        writer.Add("seconds", [seconds]);
        writer.Add("bestEpoch", [state.BestEpoch]);
        writer.Add("bestMetric", state.BestMetric is { } metric ? [metric] : []);
        writer.Add("history", JsonSerializer.Serialize(state.History));
        foreach (var (name, tensor) in model.state_dict())
        {
            writer.Add($"model/{name}", tensor);
        }

        state.Best?.Write(writer, "best");
        optimizer.Write(writer);
        runner.Write(writer);
        foreach (var (hook, index) in hooks.Select((hook, index) => (hook, index)))
        {
            if (hook is ICheckpointedHook stateful)
            {
                writer.Add($"hook/{index}", stateful.SaveState());
            }
        }

        Directory.CreateDirectory(plan.Directory);
        foreach (var stale in Directory.EnumerateFiles(plan.Directory, $"{CheckpointPlan.FileName}.*.tmp"))
        {
            File.Delete(stale); // left by a process killed while writing
        }

        writer.Save(plan.FilePath);
    }

    /// <summary>
    /// Restores the position of the plan's checkpoint into the model, optimizer, runner and hooks and returns the loop
    /// state, or returns null when there is no checkpoint yet. A checkpoint of another run is refused, naming every
    /// setting that differs.
    /// </summary>
    public static TrainingState? TryResume(CheckpointPlan plan, int epochs, nn.Module model, TrainingOptimizer optimizer, EpochRunner runner, IReadOnlyList<ITrainingHook> hooks)
    {
        if (!File.Exists(plan.FilePath))
        {
            return null;
        }

        var reader = CheckpointReader.Open(plan.FilePath);
        RefuseOtherRun(reader, plan);
        var epoch = reader.Int64("epoch");
        if (epoch < 1 || epoch > epochs)
        {
            throw reader.Invalid($"it records epoch {epoch} of a {epochs}-epoch fit");
        }

        var (seconds, bestEpoch, history) = (reader.Double("seconds"), reader.Int64("bestEpoch"), History(reader));
        if (!double.IsFinite(seconds) || seconds < 0 || bestEpoch < 1 || bestEpoch > epochs || history.Count != epoch)
        {
            throw reader.Invalid($"its clock ({seconds} s), best epoch ({bestEpoch}) or history ({history.Count} epochs) does not fit epoch {epoch} of {epochs}");
        }

        var state = new TrainingState
        {
            Epoch = (int)epoch,
            EarlierSeconds = seconds,
            BestEpoch = (int)bestEpoch,
            BestMetric = reader.Doubles("bestMetric") is [var metric] ? metric : null,
            History = history,
        };
        try
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                reader.CopyInto($"model/{name}", tensor);
            }

            state.Best = reader.Names.Any(name => name.StartsWith("best/", StringComparison.Ordinal)) ? ModelStateSnapshot.Read(reader, "best", model) : null;
            optimizer.Restore(reader);
            runner.Restore(reader, state.Epoch);
            foreach (var (hook, index) in hooks.Select((hook, index) => (hook, index)))
            {
                try
                {
                    (hook as ICheckpointedHook)?.RestoreState(reader.Text($"hook/{index}"));
                }
                catch (JsonException exception)
                {
                    throw reader.Invalid($"the state of training hook {index} is not valid ({exception.Message})");
                }
            }
        }
        catch
        {
            state.Dispose();
            throw;
        }

        return state;
    }

    private static List<TrainingProgress> History(CheckpointReader reader)
    {
        try
        {
            var history = JsonSerializer.Deserialize<List<TrainingProgress>>(reader.Text("history"));
            return history is not null && history.All(report => report is not null) ? history : throw reader.Invalid("its history has empty entries");
        }
        catch (JsonException exception)
        {
            throw reader.Invalid($"its history is not valid ({exception.Message})");
        }
    }

    private static void RefuseOtherRun(CheckpointReader reader, CheckpointPlan plan)
    {
        var saved = reader.Names.Where(name => name.StartsWith("run/", StringComparison.Ordinal)).ToDictionary(name => name[4..], reader.Text);
        var differences = saved.Keys.Union(plan.Run.Keys)
            .Where(key => saved.GetValueOrDefault(key) != plan.Run.GetValueOrDefault(key))
            .Select(key => $"{key} is {saved.GetValueOrDefault(key) ?? "absent"} there, {plan.Run.GetValueOrDefault(key) ?? "absent"} here")
            .ToList();
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The checkpoint '{plan.FilePath}' belongs to another fit: {string.Join("; ", differences)}. " +
                "Resume with the options and data it was written with, or give this fit another CheckpointDirectory (or delete the file to start over).");
        }
    }
}
