using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// Builds the optimizer. Weight decay applies to parameters with two or more dimensions only; batch-norm
/// parameters, biases and 1-D per-channel scales are not decayed (docs/training.md). OREPA's scaling vectors are one
/// [branches, C_out] matrix and so are decayed, as the OREPA reference decays them.
/// </summary>
internal static class OptimizerFactory
{
    public static optim.Optimizer Create(nn.Module model, TrainingSettings settings)
    {
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        var decayed = parameters.Where(p => p.dim() >= 2).ToList();
        var notDecayed = parameters.Where(p => p.dim() < 2).ToList();
        return settings.Optimizer switch
        {
            OptimizerKind.SgdMomentum => optim.SGD(
                [
                    new SGD.ParamGroup(decayed, new SGD.Options { LearningRate = settings.LearningRate, momentum = settings.Momentum, weight_decay = settings.WeightDecay }),
                    new SGD.ParamGroup(notDecayed, new SGD.Options { LearningRate = settings.LearningRate, momentum = settings.Momentum, weight_decay = 0 }),
                ],
                settings.LearningRate,
                settings.Momentum),
            OptimizerKind.AdamW => optim.AdamW(
                [
                    new AdamW.ParamGroup(decayed, new AdamW.Options { LearningRate = settings.LearningRate, beta1 = settings.Momentum, weight_decay = settings.WeightDecay }),
                    new AdamW.ParamGroup(notDecayed, new AdamW.Options { LearningRate = settings.LearningRate, beta1 = settings.Momentum, weight_decay = 0 }),
                ],
                settings.LearningRate,
                settings.Momentum),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Optimizer, "Unknown optimizer."),
        };
    }

    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }

    /// <summary>
    /// Disposes the optimizer and its per-parameter state: TorchSharp's optimizers keep the state's tensors (momentum
    /// buffers, moments) alive after their own disposal.
    /// </summary>
    public static void Release(optim.Optimizer optimizer)
    {
        if (optimizer is OptimizerHelper helper)
        {
            foreach (var state in helper.state_dict().State.OfType<IDisposable>())
            {
                state.Dispose();
            }
        }

        optimizer.Dispose();
    }
}
