using Microsoft.ML.Reparam.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>A detached copy of a model's parameters and buffers (best-epoch selection).</summary>
internal sealed class ModelStateSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _state;

    public ModelStateSnapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        _state = model.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone().MoveToOuterDisposeScope());
    }

    private ModelStateSnapshot(Dictionary<string, Tensor> state) => _state = state;

    /// <summary>Reads the entries <paramref name="prefix"/>/name of a checkpoint, one per entry of <paramref name="model"/>'s state, checked against its shapes.</summary>
    public static ModelStateSnapshot Read(CheckpointReader reader, string prefix, nn.Module model)
    {
        var state = new Dictionary<string, Tensor>();
        try
        {
            foreach (var (name, tensor) in model.state_dict())
            {
                var copy = zeros_like(tensor, device: CPU).DetachFromDisposeScope();
                state[name] = copy;
                reader.CopyInto($"{prefix}/{name}", copy);
            }
        }
        catch
        {
            new ModelStateSnapshot(state).Dispose();
            throw;
        }

        return new ModelStateSnapshot(state);
    }

    /// <summary>Writes every tensor as the checkpoint entry <paramref name="prefix"/>/name.</summary>
    public void Write(CheckpointWriter writer, string prefix)
    {
        foreach (var (name, tensor) in _state)
        {
            writer.Add($"{prefix}/{name}", tensor);
        }
    }

    public void RestoreInto(nn.Module model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            tensor.copy_(_state[name]);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in _state.Values)
        {
            tensor.Dispose();
        }
    }
}
