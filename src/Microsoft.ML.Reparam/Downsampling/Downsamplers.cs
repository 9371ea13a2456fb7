using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>Creates the layer that downsamples after a stride-1 convolution, and finds such layers in a model.</summary>
internal static class Downsamplers
{
    /// <summary>Returns the model's spectral downsamplers in registration order (the order of the forward pass in chain models).</summary>
    /// <param name="model">The model.</param>
    /// <returns>The layers.</returns>
    public static IReadOnlyList<SpectralDownsampler> In(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.modules().OfType<SpectralDownsampler>().Distinct()];
    }

    /// <summary>Formats the learned strides of <paramref name="model"/>, for example "strides [2.31×2.31, 1.87×1.87]".</summary>
    /// <param name="model">The model.</param>
    /// <returns>The text, or null when the model has no spectral downsampler.</returns>
    public static string? Describe(nn.Module model)
    {
        var layers = In(model);
        static string Format(SpectralDownsampler layer)
        {
            using var scope = NewDisposeScope();
            var values = layer.StrideParameter.detach().cpu().to(ScalarType.Float32).data<float>().ToArray();
            return string.Join("×", values.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return layers.Count == 0 ? null : "strides [" + string.Join(", ", layers.Select(Format)) + "]";
    }
}
