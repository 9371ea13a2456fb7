namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>Spectral pooling with fixed strides: <see cref="DiffStride"/>'s layer with strides that are not trained.</summary>
internal sealed class SpectralPooling : SpectralDownsampler
{
    /// <summary>Initializes a new instance of the <see cref="SpectralPooling"/> class.</summary>
    /// <param name="options">Strides, smoothness and stride sharing.</param>
    public SpectralPooling(SpectralDownsamplerOptions options)
        : base(nameof(SpectralPooling), options, trainable: false)
    {
    }
}
