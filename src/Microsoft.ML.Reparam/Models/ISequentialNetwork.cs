using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Models;

/// <summary>
/// A training-time network that is a chain of layers, each either a reparameterizable block, a
/// standard layer (ReLU, pooling, linear) or a layer that knows its own plain form; folding walks it.
/// </summary>
public interface ISequentialNetwork
{
    /// <summary>Gets the input shape (channels, height, width) the network was built for.</summary>
    (int Channels, int Height, int Width) InputShape { get; }

    /// <summary>Gets the layers in the order the forward pass applies them.</summary>
    IReadOnlyList<nn.Module<Tensor, Tensor>> Layers { get; }
}
