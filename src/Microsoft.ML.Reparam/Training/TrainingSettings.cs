namespace Microsoft.ML.Reparam.Training;

/// <summary>The optimizer of the training loop.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with momentum (Nesterov off).</summary>
    SgdMomentum,

    /// <summary>Adam with decoupled weight decay.</summary>
    AdamW,
}

/// <summary>Everything the training loop needs to know; the trainer's public options map onto it.</summary>
public sealed record TrainingSettings
{
    /// <summary>Gets the number of epochs.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Gets the batch size.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Gets the optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.SgdMomentum;

    /// <summary>Gets the peak learning rate.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Gets the momentum (SGD) or β₁ (AdamW).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Gets the weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Gets the epochs of linear warm-up before the cosine decay.</summary>
    public double WarmupEpochs { get; init; } = 1;

    /// <summary>Gets the label smoothing ε (0 disables it).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Gets the zero padding of random-crop augmentation (0 disables it).</summary>
    public int RandomCropPadding { get; init; }

    /// <summary>Gets a value indicating whether images are flipped horizontally at random.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Gets a value indicating whether images (and map targets) are flipped vertically at random.</summary>
    public bool VerticalFlip { get; init; }

    /// <summary>Gets a value indicating whether square images (and map targets) are turned by random multiples of 90°.</summary>
    public bool Rotate90 { get; init; }

    /// <summary>Gets what the network trains for (loss, metric, direction); null for classification with <see cref="LabelSmoothing"/>.</summary>
    internal ITrainingObjective? Objective { get; init; }

    /// <summary>Gets the fraction of the training images held back for validation and best-epoch selection (0 disables it).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Gets the seed of weights, shuffling, splits and augmentation.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the per-channel mean subtracted from pixels before the network.</summary>
    public float[] InputMean { get; init; } = [];

    /// <summary>Gets the per-channel standard deviation pixels are divided by before the network.</summary>
    public float[] InputStd { get; init; } = [];

    /// <summary>Gets the CUDA device to use, or null for the CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Gets a value indicating whether training falls back to the CPU when the GPU is unavailable.</summary>
    public bool FallbackToCpu { get; init; } = true;

    /// <summary>Gets where the loop checkpoints after every epoch and resumes from, or null for no checkpoints.</summary>
    internal Checkpoints.CheckpointPlan? Checkpoint { get; init; }

    /// <summary>Gets a check, made before every batch, that stops training when it returns true (the MLContext's cancellation), or null.</summary>
    internal Func<bool>? Canceled { get; init; }

    /// <summary>Gets the techniques that take part in training (regularisers, kernel reactivation).</summary>
    public IReadOnlyList<ITrainingHook> Hooks { get; init; } = [];
}
