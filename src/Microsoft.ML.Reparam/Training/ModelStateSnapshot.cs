using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>A detached copy of a model's parameters and buffers (best-epoch selection).</summary>
internal sealed class ModelStateSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _state;

    public ModelStateSnapshot(nn.Module model)
    {
        using var noGrad = no_grad();
        _state = model.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone().DetachFromDisposeScope());
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
