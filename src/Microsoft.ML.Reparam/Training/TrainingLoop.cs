using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tasks.Classification;
using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>Trains an expanded network on an in-memory dataset (docs/training.md).</summary>
public static class TrainingLoop
{
    /// <summary>
    /// Trains <paramref name="model"/> in place; on return it holds the best epoch's weights, is on the CPU
    /// and in eval mode. Seed torch (<c>torch.manual_seed</c>) before building the model for repeatable weights;
    /// everything random inside the loop derives from <see cref="TrainingSettings.Seed"/> through generators of its
    /// own (no global torch state), so loops may run concurrently.
    /// </summary>
    /// <param name="model">The expanded network, on the CPU; moved to the training device and back.</param>
    /// <param name="data">Training images (a validation split is taken from them when configured).</param>
    /// <param name="settings">Training settings.</param>
    /// <param name="progress">Receives one report per epoch, or null.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The training history.</returns>
    public static TrainingResult Train(nn.Module<Tensor, Tensor> model, ImageTensorDataset data, TrainingSettings settings, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(model, data, null, settings, progress, cancellationToken);

    /// <summary>Trains on the rows <paramref name="rows"/> of <paramref name="data"/> (all when null), without copying them.</summary>
    internal static TrainingResult Train(nn.Module<Tensor, Tensor> model, ImageTensorDataset data, int[]? rows, TrainingSettings settings, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        rows ??= [.. Enumerable.Range(0, data.Count)];
        Validate(rows.Length, settings);
        var objective = settings.Objective ?? new ClassificationObjective(settings.LabelSmoothing);
        var device = TrainingDevice.Select(settings.GpuDeviceId, settings.FallbackToCpu);
        var (train, validation) = Split(data, rows, settings);
        var plan = settings.Checkpoint is { } checkpoint ? checkpoint with { Run = DataFingerprint.Add(checkpoint.Run, data, rows, device) } : null;
        var watch = Stopwatch.StartNew();
        TrainingState? state = null;
        using var checkpointLock = plan?.Lock();
        model.to(device);
        CheckConvolutions(model, train, settings.BatchSize, objective, device);
        using var optimizer = OptimizerFactory.Create(model, settings);
        try
        {
            var stepsPerEpoch = (train.Count + settings.BatchSize - 1) / settings.BatchSize;
            var totalSteps = stepsPerEpoch * settings.Epochs;
            var schedule = new CosineSchedule(settings.LearningRate, totalSteps, Math.Min(totalSteps, (int)Math.Round(settings.WarmupEpochs * stepsPerEpoch)));
            using var epochRunner = new EpochRunner(model, optimizer, schedule, train, settings, objective, device);
            state = (plan is null ? null : TrainingCheckpoint.TryResume(plan, settings.Epochs, model, optimizer, epochRunner, settings.Hooks))
                ?? new TrainingState { BestEpoch = settings.Epochs };
            var firstEpoch = state.Epoch + 1;
            for (var epoch = firstEpoch; epoch <= settings.Epochs; epoch++)
            {
                var epochWatch = Stopwatch.StartNew();
                var (loss, trainMetric) = RunEpoch(epochRunner, epoch, plan, state.Epoch, settings, cancellationToken);
                var learningRate = schedule.At((epoch * stepsPerEpoch) - 1);
                var messages = settings.Hooks
                    .Select(hook => hook.OnEpochEnd(new EpochEndContext(model, epoch, settings.Epochs, learningRate, settings.LearningRate)))
                    .Where(message => message is not null)
                    .ToList(); // hooks run now, before validation sees the weights they may edit
                double? validationMetric = validation is null ? null : ModelEvaluation.Metric(model, validation, objective, settings.BatchSize, device);
                if (validationMetric is { } v && (state.BestMetric is not { } b || (objective.HigherIsBetter ? v > b : v < b)))
                {
                    state.BestMetric = v;
                    state.BestEpoch = epoch;
                    state.Best?.Dispose();
                    state.Best = new ModelStateSnapshot(model);
                }

                var elapsed = TimeSpan.FromSeconds(state.EarlierSeconds) + watch.Elapsed;
                var report = new TrainingProgress(
                    epoch,
                    settings.Epochs,
                    loss,
                    objective.MetricName,
                    trainMetric,
                    validationMetric,
                    learningRate,
                    train.Count / Math.Max(epochWatch.Elapsed.TotalSeconds, 1e-9),
                    elapsed,
                    watch.Elapsed / (epoch - firstEpoch + 1) * (settings.Epochs - epoch),
                    string.Join("; ", messages) is { Length: > 0 } text ? text : null);
                state.Epoch = epoch;
                state.History.Add(report);
                if (plan is not null)
                {
                    TrainingCheckpoint.Save(plan, state, model, optimizer, epochRunner, settings.Hooks, elapsed.TotalSeconds);
                }

                progress?.Report(report);
            }

            state.Best?.RestoreInto(model);
            return new TrainingResult(state.History, state.BestEpoch, state.EarlierSeconds + watch.Elapsed.TotalSeconds);
        }
        finally
        {
            state?.Dispose();
            model.to(CPU);
            model.eval();
        }
    }

    /// <summary>
    /// Checks libtorch's convolutions on this model and its first training batch, and turns oneDNN off if it gets them
    /// wrong (docs/training.md, "Wrong convolutions"). The objective prepares the batch with a generator of its own, so
    /// the fit's generators are untouched.
    /// </summary>
    private static void CheckConvolutions(nn.Module<Tensor, Tensor> model, BatchSource train, int batchSize, ITrainingObjective objective, Device device)
    {
        using var scope = NewDisposeScope();
        int[] first = [.. Enumerable.Range(0, Math.Min(batchSize, train.Count))];
        var (images, targets) = train.Batch(first, device);
        using var generator = new Generator(0, device);
        ConvolutionCheck.EnsureFor(model, objective.Prepare(images, targets, generator).Input);
    }

    /// <summary>
    /// Runs one epoch; a failure inside TorchSharp's native library becomes an error that names the epoch and what the
    /// checkpoint still holds (docs/training.md, "Native errors").
    /// </summary>
    private static (double Loss, double Metric) RunEpoch(EpochRunner runner, int epoch, CheckpointPlan? plan, int savedEpoch, TrainingSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            return runner.Run(epoch, settings.Canceled, cancellationToken);
        }
        catch (ExternalException e)
        {
            var resume = plan is null
                ? "No checkpoint was kept: set CheckpointDirectory so that running the same fit again resumes after such a failure."
                : savedEpoch > 0
                    ? $"The checkpoint of epoch {savedEpoch} in '{plan.Directory}' is intact: run the same fit again to resume from it."
                    : $"No epoch had finished; running the same fit again starts over (checkpoints go to '{plan.Directory}').";
            throw new InvalidOperationException($"TorchSharp's native library failed during training epoch {epoch}: {e.Message.Trim()} {resume} See docs/training.md, \"Native errors\".", e);
        }
    }

    private static (BatchSource Train, BatchSource? Validation) Split(ImageTensorDataset data, int[] rows, TrainingSettings settings)
    {
        if (settings.ValidationFraction <= 0)
        {
            return (new BatchSource(data, rows, settings.InputMean, settings.InputStd), null);
        }

        var order = (int[])rows.Clone();
        new Random(settings.Seed).Shuffle(order);
        var validationCount = Math.Max(1, (int)Math.Round(settings.ValidationFraction * rows.Length));
        if (data.Groups is { } groups)
        {
            // Patches of one image stay on one side: whole images are held out until the fraction is reached.
            var sizes = order.GroupBy(r => groups[r]).ToDictionary(g => g.Key, g => g.Count());
            if (sizes.Count < 2)
            {
                throw new ArgumentException($"ValidationFraction {settings.ValidationFraction} holds out whole images, but the {rows.Length} training patches come from one image; give two or more images or set ValidationFraction to 0.", nameof(settings));
            }

            var held = new HashSet<int>();
            var heldRows = 0;
            foreach (var image in order.Select(r => groups[r]).Distinct())
            {
                if (heldRows >= validationCount || held.Count == sizes.Count - 1)
                {
                    break;
                }

                held.Add(image);
                heldRows += sizes[image];
            }

            order = [.. order.Where(r => held.Contains(groups[r])), .. order.Where(r => !held.Contains(groups[r]))];
            validationCount = heldRows;
        }

        if (validationCount >= rows.Length)
        {
            throw new ArgumentException($"ValidationFraction {settings.ValidationFraction} of {rows.Length} images leaves no training images.", nameof(settings));
        }

        return (new BatchSource(data, order[validationCount..], settings.InputMean, settings.InputStd), new BatchSource(data, order[..validationCount], settings.InputMean, settings.InputStd));
    }

    private static void Validate(int count, TrainingSettings settings)
    {
        if (count == 0)
        {
            throw new ArgumentException("The training data has no images.", nameof(settings));
        }

        Check(settings.Epochs >= 1, nameof(settings.Epochs), settings.Epochs, "must be at least 1");
        Check(settings.BatchSize >= 1, nameof(settings.BatchSize), settings.BatchSize, "must be at least 1");
        Check(double.IsFinite(settings.LearningRate) && settings.LearningRate > 0, nameof(settings.LearningRate), settings.LearningRate, "must be a positive finite number");
        Check(double.IsFinite(settings.Momentum) && settings.Momentum is >= 0 and < 1, nameof(settings.Momentum), settings.Momentum, "must be in [0, 1)");
        Check(double.IsFinite(settings.WeightDecay) && settings.WeightDecay >= 0, nameof(settings.WeightDecay), settings.WeightDecay, "must be a non-negative finite number");
        Check(double.IsFinite(settings.WarmupEpochs) && settings.WarmupEpochs >= 0, nameof(settings.WarmupEpochs), settings.WarmupEpochs, "must be a non-negative finite number");
        Check(settings.LabelSmoothing is >= 0 and < 1, nameof(settings.LabelSmoothing), settings.LabelSmoothing, "must be in [0, 1)");
        Check(settings.RandomCropPadding >= 0, nameof(settings.RandomCropPadding), settings.RandomCropPadding, "must not be negative");
        Check(settings.ValidationFraction is >= 0 and < 1, nameof(settings.ValidationFraction), settings.ValidationFraction, "must be in [0, 1)");
    }

    private static void Check(bool condition, string name, object value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Training setting {name} = {value} {rule}.");
        }
    }
}
