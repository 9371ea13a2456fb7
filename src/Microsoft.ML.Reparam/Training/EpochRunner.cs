using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>One pass over the shuffled training images: schedule, augmentation (images and map targets together), the objective's loss (+ hook terms), step.</summary>
internal sealed class EpochRunner
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly CosineSchedule _schedule;
    private readonly BatchSource _train;
    private readonly TrainingSettings _settings;
    private readonly Device _device;
    private readonly ITrainingObjective _objective;
    private readonly BatchAugmenter _augmenter;
    private readonly Random _shuffle;
    private readonly int[] _order;
    private int _step;

    public EpochRunner(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, CosineSchedule schedule, BatchSource train, TrainingSettings settings, ITrainingObjective objective, Device device)
    {
        _objective = objective;
        _model = model;
        _optimizer = optimizer;
        _schedule = schedule;
        _train = train;
        _settings = settings;
        _device = device;
        _augmenter = new BatchAugmenter(settings.RandomCropPadding, settings.HorizontalFlip, settings.Seed + 1, settings.VerticalFlip, settings.Rotate90);
        _shuffle = new Random(settings.Seed + 2);
        _order = Enumerable.Range(0, train.Count).ToArray();
    }

    /// <summary>Runs epoch <paramref name="epoch"/>; returns its mean loss and the objective's metric on the training batches.</summary>
    public (double Loss, double Metric) Run(int epoch, CancellationToken cancellationToken)
    {
        _model.train();
        _shuffle.Shuffle(_order);
        double lossSum = 0;
        var metric = _objective.NewMetric();
        var targetSet = _train.Data.Targets;
        for (var start = 0; start < _order.Length; start += _settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            OptimizerFactory.SetLearningRate(_optimizer, _schedule.At(_step++));
            var count = Math.Min(_settings.BatchSize, _order.Length - start);
            var (images, targets) = _train.Batch(_order.AsSpan(start, count), _device);
            var (augmented, augmentedTargets) = _augmenter.Apply(images, targets, targetSet.Scale, targetSet.PadValue);
            var (input, target) = _objective.Prepare(augmented, augmentedTargets!, null);
            var output = _model.forward(input);
            var loss = _objective.Loss(output, target);
            foreach (var hook in _settings.Hooks)
            {
                if (hook.RegularizationLoss(_model) is { } extra)
                {
                    loss = loss + extra;
                }
            }

            _optimizer.zero_grad();
            loss.backward();
            _optimizer.step();
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
}
