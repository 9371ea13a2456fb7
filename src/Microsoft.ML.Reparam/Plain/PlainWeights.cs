using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>The TorchSharp tensors of a graph's weight arrays, made once per array on one device and disposed with their owner.</summary>
/// <param name="device">The device of the tensors (the CPU when null).</param>
internal sealed class PlainWeights(Device? device = null) : IDisposable
{
    /// <summary>Gets an empty instance for evaluating operations that hold no weights.</summary>
    public static PlainWeights None { get; } = new();

    private readonly Dictionary<float[], Tensor> _tensors = new(ReferenceEqualityComparer.Instance);

    /// <summary>Returns <paramref name="values"/> as a tensor of <paramref name="shape"/> (cached per array).</summary>
    public Tensor Of(float[] values, params long[] shape)
    {
        if (!_tensors.TryGetValue(values, out var tensor))
        {
            tensor = torch.tensor(values, device: device ?? CPU).reshape(shape).DetachFromDisposeScope();
            _tensors.Add(values, tensor);
        }

        return tensor;
    }

    public void Dispose()
    {
        foreach (var tensor in _tensors.Values)
        {
            tensor.Dispose();
        }

        _tensors.Clear();
    }
}
