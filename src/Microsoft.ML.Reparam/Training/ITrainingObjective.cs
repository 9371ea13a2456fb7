using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// What a task trains for: its loss, and the metric that reports progress and picks the best epoch. The training loop
/// knows nothing else of the task.
/// </summary>
internal interface ITrainingObjective
{
    /// <summary>Gets the metric's name in progress reports, for example "accuracy".</summary>
    string MetricName { get; }

    /// <summary>Gets a value indicating whether a higher metric is better (accuracy, IoU, PSNR) or a lower one.</summary>
    bool HigherIsBetter { get; }

    /// <summary>
    /// Turns a batch of (augmented) images and targets into the network's input and the loss's target: unchanged for
    /// most tasks; a denoiser adds its noise here. Random draws use <paramref name="generator"/>, or torch's global
    /// generator when null (training); evaluation passes a seeded one so that every pass sees the same noise.
    /// </summary>
    (Tensor Input, Tensor Target) Prepare(Tensor images, Tensor targets, Generator? generator) => (images, targets);

    /// <summary>Returns the scalar loss of a batch.</summary>
    Tensor Loss(Tensor output, Tensor target);

    /// <summary>Starts an accumulation of the metric over batches.</summary>
    IMetricAccumulator NewMetric();
}

/// <summary>Accumulates a metric over batches (a mean, or a confusion matrix for IoU).</summary>
internal interface IMetricAccumulator
{
    /// <summary>Adds one batch of outputs and targets.</summary>
    void Add(Tensor output, Tensor target);

    /// <summary>Gets the metric over everything added.</summary>
    double Value { get; }
}
