using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>The stride one spectral layer ended with, and the sizes it maps between in the deployed network.</summary>
/// <param name="Layer">0-based index among the network's spectral layers.</param>
/// <param name="Learned">Whether the stride was trained (DiffStride) or fixed (spectral pooling).</param>
/// <param name="Height">Effective stride along the height.</param>
/// <param name="Width">Effective stride along the width.</param>
/// <param name="InputHeight">Height the layer receives.</param>
/// <param name="InputWidth">Width the layer receives.</param>
/// <param name="OutputHeight">Height it produces.</param>
/// <param name="OutputWidth">Width it produces.</param>
public sealed record LearnedStride(int Layer, bool Learned, double Height, double Width, int InputHeight, int InputWidth, int OutputHeight, int OutputWidth)
{
    /// <summary>Pairs the model's spectral layers with their deployed forms, in order.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="graph">Its folded graph (a layer shared by two paths, as in a residual block, appears once).</param>
    /// <returns>One entry per spectral layer.</returns>
    public static IReadOnlyList<LearnedStride> Of(nn.Module model, PlainGraph graph)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(graph);
        var layers = Downsamplers.In(model);
        var resizes = graph.Ops.OfType<PlainSpectralResize>().Distinct().ToList();
        return [.. layers.Zip(resizes, (layer, resize) => (layer, resize)).Select((pair, index) =>
        {
            var (height, width) = pair.layer.EffectiveStrides(pair.resize.InHeight, pair.resize.InWidth);
            return new LearnedStride(index, pair.layer is DiffStride, height, width, pair.resize.InHeight, pair.resize.InWidth, pair.resize.OutHeight, pair.resize.OutWidth);
        })];
    }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"layer {Layer}: stride {Height:F2}×{Width:F2} ({(Learned ? "learned" : "fixed")}), {InputHeight}×{InputWidth} → {OutputHeight}×{OutputWidth}");
}
