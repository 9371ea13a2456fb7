using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>The TorchSharp tensors of a graph's weight arrays, made once per array and disposed with their owner.</summary>
internal sealed class PlainWeights : IDisposable
{
    /// <summary>Gets an empty instance for evaluating operations that hold no weights.</summary>
    public static PlainWeights None { get; } = new();

    private readonly Dictionary<float[], Tensor> _tensors = new(ReferenceEqualityComparer.Instance);

    /// <summary>Returns <paramref name="values"/> as a tensor of <paramref name="shape"/> (cached per array).</summary>
    public Tensor Of(float[] values, params long[] shape)
    {
        if (!_tensors.TryGetValue(values, out var tensor))
        {
            tensor = torch.tensor(values).reshape(shape).DetachFromDisposeScope();
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
