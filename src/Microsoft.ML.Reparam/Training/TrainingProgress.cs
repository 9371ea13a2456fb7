namespace Microsoft.ML.Reparam.Training;

/// <summary>A report of the training loop: one per epoch, plus events such as kernel reactivation.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="TrainLoss">Mean training loss of the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy of the epoch (augmented batches, train mode).</param>
/// <param name="ValidationAccuracy">Validation accuracy in eval mode, or null without a validation split.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="ImagesPerSecond">Training throughput of the epoch.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="Remaining">Estimated time to finish.</param>
/// <param name="Message">Extra detail (for example learned strides or a reactivation event), or null.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationAccuracy,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining,
    string? Message = null)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs} loss {TrainLoss:F4} train acc {TrainAccuracy:P2}" +
        (ValidationAccuracy is { } v ? $" val acc {v:P2}" : string.Empty) +
        $" lr {LearningRate:G3} {ImagesPerSecond:F0} img/s elapsed {Elapsed:hh\\:mm\\:ss} eta {Remaining:hh\\:mm\\:ss}" +
        (Message is null ? string.Empty : $" {Message}");
}
