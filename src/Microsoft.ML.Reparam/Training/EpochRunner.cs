using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Checkpoints;
using Microsoft.ML.Reparam.Training.Optimizers;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// One pass over the shuffled training images: schedule, augmentation (images and map targets together), the objective's
/// input preparation (its own seeded generator: no global torch state), loss (+ hook terms), step. Its position — step,
/// order and every generator — is checkpointed.
/// </summary>
internal sealed class EpochRunner : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly TrainingOptimizer _optimizer;
    private readonly CosineSchedule _schedule;
    private readonly BatchSource _train;
    private readonly TrainingSettings _settings;
    private readonly Device _device;
    private readonly ITrainingObjective _objective;
    private readonly BatchAugmenter _augmenter;
    private readonly ReplayableRandom _shuffle;
    private readonly Generator _generator;
    private readonly int[] _order;
    private int _step;

    public EpochRunner(nn.Module<Tensor, Tensor> model, TrainingOptimizer optimizer, CosineSchedule schedule, BatchSource train, TrainingSettings settings, ITrainingObjective objective, Device device)
    {
        _objective = objective;
        _model = model;
        _optimizer = optimizer;
        _schedule = schedule;
        _train = train;
        _settings = settings;
        _device = device;
        _augmenter = new BatchAugmenter(settings.RandomCropPadding, settings.HorizontalFlip, settings.Seed + 1, settings.VerticalFlip, settings.Rotate90);
        _shuffle = new ReplayableRandom(settings.Seed + 2);
        _generator = new Generator((ulong)settings.Seed + 3, device);
        _order = Enumerable.Range(0, train.Count).ToArray();
    }

    /// <summary>Runs epoch <paramref name="epoch"/>; returns its mean loss and the objective's metric on the training batches.</summary>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <param name="canceled">Also stops the epoch when it returns true (the ML.NET environment's cancellation), or null.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    public (double Loss, double Metric) Run(int epoch, Func<bool>? canceled, CancellationToken cancellationToken)
    {
        _model.train();
        _shuffle.Shuffle(_order);
        double lossSum = 0;
        var metric = _objective.NewMetric();
        var targetSet = _train.Data.Targets;
        for (var start = 0; start < _order.Length; start += _settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (canceled?.Invoke() == true)
            {
                throw new OperationCanceledException($"The fit was canceled through its MLContext at epoch {epoch}, batch {(start / _settings.BatchSize) + 1}.");
            }

            using var scope = NewDisposeScope();
            _optimizer.LearningRate = _schedule.At(_step++);
            var count = Math.Min(_settings.BatchSize, _order.Length - start);
            var (images, targets) = _train.Batch(_order.AsSpan(start, count), _device);
            var (augmented, augmentedTargets) = _augmenter.Apply(images, targets, targetSet.Scale, targetSet.PadValue);
            var (input, target) = _objective.Prepare(augmented, augmentedTargets!, _generator);
            var output = _model.forward(input);
            var loss = _objective.Loss(output, target);
            foreach (var hook in _settings.Hooks)
            {
                if (hook.RegularizationLoss(_model) is { } extra)
                {
                    loss = loss.Plus(extra);
                }
            }

            _optimizer.ZeroGrad();
            loss.backward();
            _optimizer.Step();
            var value = loss.item<float>();
            if (!float.IsFinite(value))
            {
                throw new InvalidOperationException($"Training diverged: the loss is {value} at epoch {epoch}, batch {(start / _settings.BatchSize) + 1}. Lower the LearningRate ({_settings.LearningRate}).");
            }

            lossSum += value * count;
            using (no_grad())
            {
                metric.Add(output, target);
            }
        }

        return (lossSum / _order.Length, metric.Value);
    }

    /// <summary>Writes the position: step, batch order and the state of every generator.</summary>
    public void Write(CheckpointWriter writer)
    {
        writer.Add("runner/step", [_step]);
        writer.Add("runner/order", [.. _order.Select(i => (long)i)]);
        writer.Add("runner/shuffleDraws", [_shuffle.Draws]);
        writer.Add("runner/augmentDraws", [_augmenter.Draws]);
        using var generatorState = _generator.get_state();
        writer.Add("runner/generator", generatorState);
    }

    /// <summary>Returns to the position <see cref="Write"/> wrote.</summary>
    public void Restore(CheckpointReader reader, int epochs)
    {
        var images = (long)_order.Length * epochs; // bounds, so a forged file cannot make the replay run for ever
        Bound(reader, "runner/step", (images / _settings.BatchSize) + epochs);
        Bound(reader, "runner/shuffleDraws", images);
        Bound(reader, "runner/augmentDraws", images * 5);
        var order = reader.Int64s("runner/order");
        if (order.Length != _order.Length || order.Any(i => i < 0 || i >= _order.Length) || order.Distinct().Count() != order.Length)
        {
            throw reader.Invalid($"its batch order is not an order of the {_order.Length} training images");
        }

        order.Select(i => (int)i).ToArray().CopyTo(_order, 0);
        _step = checked((int)reader.Int64("runner/step"));
        _shuffle.Restore(reader.Int64("runner/shuffleDraws"));
        _augmenter.Restore(reader.Int64("runner/augmentDraws"));
        using var generatorState = reader.Tensor("runner/generator");
        using var expected = _generator.get_state();
        if (!generatorState.shape.SequenceEqual(expected.shape) || generatorState.dtype != expected.dtype)
        {
            throw reader.Invalid($"its generator state has shape [{string.Join(", ", generatorState.shape)}], not [{string.Join(", ", expected.shape)}]");
        }

        _generator.set_state(generatorState);
    }

    public void Dispose() => _generator.Dispose();

    private static void Bound(CheckpointReader reader, string name, long maximum)
    {
        if (reader.Int64(name) is var value && (value < 0 || value > maximum))
        {
            throw reader.Invalid($"'{name}' is {value}, outside [0, {maximum}]");
        }
    }
}
