using Microsoft.ML.Reparam.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>Trains an expanded network on an in-memory dataset.</summary>
public static class TrainingLoop
{
    /// <summary>
    /// Trains <paramref name="model"/> in place; on return it holds the best epoch's weights and is in eval mode.
    /// </summary>
    /// <param name="model">The expanded network, on the CPU; moved to the training device and back.</param>
    /// <param name="data">Training images (a validation split is taken from them when configured).</param>
    /// <param name="settings">Training settings.</param>
    /// <param name="progress">Receives one report per epoch and event reports, or null.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>The training history.</returns>
    public static TrainingResult Train(nn.Module<Tensor, Tensor> model, ImageTensorDataset data, TrainingSettings settings, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new NotImplementedException("CONTRACT: implemented by the training work item.");
}
