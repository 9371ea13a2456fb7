namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>How a model's strided stages downsample: the kind and the spectral mask's ramp width.</summary>
/// <param name="Kind">Strided convolution, spectral pooling or DiffStride.</param>
/// <param name="Smoothness">R, the mask's ramp width in frequency bins (spectral kinds only).</param>
/// <param name="SharedStride">Whether each spectral layer has one stride for both axes instead of one per axis.</param>
internal sealed record DownsamplingSpec(DownsamplingKind Kind, double Smoothness = 4, bool SharedStride = false)
{
    /// <summary>Gets strided convolution, the default.</summary>
    public static DownsamplingSpec Strided { get; } = new(DownsamplingKind.StridedConvolution);

    /// <summary>Converts a kind to a spec with the default smoothness.</summary>
    /// <param name="kind">The kind.</param>
    public static implicit operator DownsamplingSpec(DownsamplingKind kind) => new(kind);

    /// <summary>Throws when the kind is unknown or the smoothness out of range, naming the value.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, $"Unknown downsampling kind; use one of {string.Join(", ", Enum.GetNames<DownsamplingKind>())}.");
        }

        new SpectralDownsamplerOptions { Smoothness = Smoothness }.Validate();
    }

    /// <summary>Returns the spectral layer a downsampling position needs, or null when its convolution does the striding.</summary>
    /// <param name="stride">The position's (initial) stride, at least 1.</param>
    /// <returns>The layer, or null for strided convolution.</returns>
    public SpectralDownsampler? CreateLayer(double stride)
    {
        Validate();
        var options = SpectralDownsamplerOptions.Square(stride) with { Smoothness = Smoothness, SharedStride = SharedStride };
        return Kind == DownsamplingKind.StridedConvolution ? null
            : Kind == DownsamplingKind.SpectralPooling ? new SpectralPooling(options) : new DiffStride(options);
    }
}
