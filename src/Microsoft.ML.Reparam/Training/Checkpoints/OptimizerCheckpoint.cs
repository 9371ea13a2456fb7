using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>Writes and restores the per-parameter state of the optimizers <see cref="OptimizerFactory"/> builds (SGD momentum buffers; AdamW step and moments).</summary>
internal static class OptimizerCheckpoint
{
    public static void Write(CheckpointWriter writer, optim.Optimizer optimizer)
    {
        var states = States(optimizer);
        writer.Add("optimizer/count", [states.Count]);
        for (var i = 0; i < states.Count; i++)
        {
            var prefix = $"optimizer/{i}";
            switch (states[i])
            {
                case SGD.State sgd when sgd.momentum_buffer is { } buffer:
                    writer.Add($"{prefix}/momentum", buffer);
                    break;
                case AdamW.State adam:
                    writer.Add($"{prefix}/step", [adam.step]);
                    writer.Add($"{prefix}/mean", adam.exp_avg);
                    writer.Add($"{prefix}/square", adam.exp_avg_sq);
                    break;
            }
        }
    }

    public static void Restore(CheckpointReader reader, optim.Optimizer optimizer)
    {
        var states = States(optimizer);
        var parameters = optimizer.parameters().ToList(); // in the order of the states
        if (reader.Int64("optimizer/count") != states.Count)
        {
            throw reader.Invalid($"it holds optimizer state for {reader.Int64("optimizer/count")} parameters, the model has {states.Count}");
        }

        for (var i = 0; i < states.Count; i++)
        {
            var prefix = $"optimizer/{i}";
            switch (states[i])
            {
                case SGD.State sgd when reader.Contains($"{prefix}/momentum"):
                    var buffer = zeros_like(parameters[i]).DetachFromDisposeScope();
                    try
                    {
                        reader.CopyInto($"{prefix}/momentum", buffer); // checks shape and element type
                    }
                    catch
                    {
                        buffer.Dispose();
                        throw;
                    }

                    sgd.momentum_buffer?.Dispose();
                    sgd.momentum_buffer = buffer;
                    break;
                case AdamW.State adam:
                    adam.step = reader.Int64($"{prefix}/step");
                    reader.CopyInto($"{prefix}/mean", adam.exp_avg);
                    reader.CopyInto($"{prefix}/square", adam.exp_avg_sq);
                    break;
            }
        }
    }

    private static IList<OptimizerState> States(optim.Optimizer optimizer) =>
        optimizer is OptimizerHelper helper ? helper.state_dict().State : throw new NotSupportedException($"Checkpoints do not know the optimizer {optimizer.GetType().Name}.");
}
