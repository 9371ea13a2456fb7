namespace Microsoft.ML.Reparam.Blocks;

/// <summary>The fixed 3×3 edge filters of ECB's branches.</summary>
internal enum EdgeFilter
{
    /// <summary>Horizontal gradient: [[1, 0, −1], [2, 0, −2], [1, 0, −1]].</summary>
    SobelX,

    /// <summary>Vertical gradient: the transpose of Sobel-x.</summary>
    SobelY,

    /// <summary>Laplacian: [[0, 1, 0], [1, −4, 1], [0, 1, 0]].</summary>
    Laplacian,
}
