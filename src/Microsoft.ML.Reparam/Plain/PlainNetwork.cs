namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// A deployed plain CNN: a chain of <see cref="PlainLayer"/>s applied to a normalized image tensor
/// [N, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>]. Folding produces it; the ONNX
/// exporter writes it; <see cref="PlainNetworkModule"/> runs it in TorchSharp.
/// </summary>
/// <param name="Channels">Input channels.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="Layers">The layers in order.</param>
public sealed record PlainNetwork(int Channels, int Height, int Width, IReadOnlyList<PlainLayer> Layers)
{
    /// <summary>Gets the number of learned values.</summary>
    public long ParameterCount => Layers.Sum(layer => layer.ParameterCount);
}
