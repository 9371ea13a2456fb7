namespace Microsoft.ML.Reparam.Training;

/// <summary>What a training run produced besides the trained weights (which stay in the model).</summary>
/// <param name="History">One report per epoch.</param>
/// <param name="BestEpoch">The epoch whose weights the model holds (best validation metric, or the last epoch).</param>
/// <param name="TrainSeconds">Wall-clock seconds of training.</param>
public sealed record TrainingResult(IReadOnlyList<TrainingProgress> History, int BestEpoch, double TrainSeconds);
