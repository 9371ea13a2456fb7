using Microsoft.ML.Reparam.Training.Optimizers;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// Builds the optimizer. Weight decay applies to parameters with two or more dimensions only; batch-norm
/// parameters, biases and 1-D per-channel scales are not decayed (docs/training.md). OREPA's scaling vectors are one
/// [branches, C_out] matrix and so are decayed, as the OREPA reference decays them.
/// </summary>
internal static class OptimizerFactory
{
    public static TrainingOptimizer Create(nn.Module model, TrainingSettings settings)
    {
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        ParameterGroup[] groups =
        [
            new([.. parameters.Where(p => p.dim() >= 2)], settings.WeightDecay),
            new([.. parameters.Where(p => p.dim() < 2)], 0),
        ];
        return settings.Optimizer switch
        {
            OptimizerKind.SgdMomentum => new SgdMomentumOptimizer(groups, settings.LearningRate, settings.Momentum),
            OptimizerKind.AdamW => new AdamWOptimizer(groups, settings.LearningRate, beta1: settings.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Optimizer, "Unknown optimizer."),
        };
    }
}
