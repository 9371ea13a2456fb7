using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// A technique that takes part in training without being a layer: it may add a loss term to every batch
/// (for example the learned-stride complexity regulariser) and act after every epoch (for example kernel
/// reactivation).
/// </summary>
public interface ITrainingHook
{
    /// <summary>Returns a scalar added to every batch's loss, or null for none. Runs inside the batch's dispose scope.</summary>
    /// <param name="model">The model being trained.</param>
    /// <returns>The extra loss term, or null.</returns>
    Tensor? RegularizationLoss(nn.Module<Tensor, Tensor> model);

    /// <summary>Called after each epoch's last optimizer step and before validation.</summary>
    /// <param name="context">The model and the schedule position.</param>
    /// <returns>A message for the epoch's progress report, or null.</returns>
    string? OnEpochEnd(EpochEndContext context);
}

/// <summary>What an <see cref="ITrainingHook"/> sees at the end of an epoch.</summary>
/// <param name="Model">The model being trained.</param>
/// <param name="Epoch">The 1-based epoch that just ended.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step.</param>
/// <param name="PeakLearningRate">The schedule's peak learning rate.</param>
public sealed record EpochEndContext(nn.Module<Tensor, Tensor> Model, int Epoch, int Epochs, double LearningRate, double PeakLearningRate);
