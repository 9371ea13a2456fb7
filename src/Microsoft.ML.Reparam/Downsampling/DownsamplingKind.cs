namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>How a stage with stride S &gt; 1 reduces the resolution (docs/diffstride.md).</summary>
public enum DownsamplingKind
{
    /// <summary>The stage's first convolution has stride S.</summary>
    StridedConvolution,

    /// <summary>A stride-1 convolution followed by spectral pooling with the fixed stride S.</summary>
    SpectralPooling,

    /// <summary>A stride-1 convolution followed by DiffStride: spectral pooling whose stride starts at S and is learned.</summary>
    DiffStride,
}
