namespace Microsoft.ML.Reparam;

/// <summary>Which colour signal a restoration network sees; the deployed model always reads and writes RGB images.</summary>
public enum RestorationColor
{
    /// <summary>
    /// BT.601 luma only (Y = 16 + 65.481 R + 128.553 G + 24.966 B, R, G, B in [0, 1]), as ECBSR and SRCNN train and
    /// measure; the chroma is upscaled bicubically (super-resolution) or kept (denoising) and the result turned back into RGB.
    /// </summary>
    Luma,

    /// <summary>All three channels.</summary>
    Rgb,

    /// <summary>The mean of R, G and B (a gray image's own value); the output is gray.</summary>
    Gray,
}

/// <summary>The training loss of a restoration network.</summary>
public enum RestorationLoss
{
    /// <summary>Mean absolute error (super-resolution's usual loss).</summary>
    L1,

    /// <summary>Mean squared error (denoising's usual loss).</summary>
    L2,
}
