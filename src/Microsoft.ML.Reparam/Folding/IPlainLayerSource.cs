using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Folding;

/// <summary>A training-time layer that is not a convolution block but knows its own deployed form (for example a learned-stride downsampler).</summary>
public interface IPlainLayerSource
{
    /// <summary>Returns the plain layers equivalent to this layer in eval mode.</summary>
    /// <param name="inputShape">The shape (channels, height, width) the layer receives.</param>
    /// <returns>The plain layers, in order.</returns>
    IReadOnlyList<PlainLayer> ToPlainLayers((int Channels, int Height, int Width) inputShape);
}
