namespace Microsoft.ML.Reparam.Training;

/// <summary>A report of the training loop: one per epoch, plus events such as kernel reactivation.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="MetricName">The task's metric, for example "accuracy".</param>
/// <param name="TrainMetric">The metric on the epoch's training batches (augmented, train mode).</param>
/// <param name="ValidationMetric">The metric on the validation split in eval mode (it picks the best epoch), or null without a split.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="Remaining">Estimated time to finish.</param>
/// <param name="Message">Extra detail (for example learned strides or a reactivation event), or null.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    double TrainLoss,
    string MetricName,
    double TrainMetric,
    double? ValidationMetric,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining,
    string? Message = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs} loss {TrainLoss:F4} train {MetricName} {TrainMetric:G4}" +
        (ValidationMetric is { } v ? $" val {MetricName} {v:G4}" : string.Empty) +
        $" lr {LearningRate:G3} {ImagesPerSecond:F0} img/s elapsed {Elapsed:hh\\:mm\\:ss} eta {Remaining:hh\\:mm\\:ss}" +
        (Message is null ? string.Empty : $" {Message}");
}
