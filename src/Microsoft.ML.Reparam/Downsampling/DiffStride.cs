namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>
/// Learnable strides (DiffStride): spectral downsampling whose strides are parameters, trained by backpropagation
/// through the mask's ramps (docs/diffstride.md, D2). The crop indices carry no gradient.
/// </summary>
internal sealed class DiffStride : SpectralDownsampler
{
    /// <summary>Initializes a new instance of the <see cref="DiffStride"/> class.</summary>
    /// <param name="options">Initial strides, smoothness and stride sharing.</param>
    public DiffStride(SpectralDownsamplerOptions options)
        : base(nameof(DiffStride), options, trainable: true)
    {
    }
}
