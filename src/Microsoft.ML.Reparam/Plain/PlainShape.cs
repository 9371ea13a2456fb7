namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// The shape of one value of a <see cref="PlainGraph"/> without its batch dimension: a feature map [C, H, W], or a
/// feature vector [C] when <see cref="IsVector"/> (after global pooling).
/// </summary>
/// <param name="Channels">Channels (or features, for a vector).</param>
/// <param name="Height">Height; 0 for a vector.</param>
/// <param name="Width">Width; 0 for a vector.</param>
public readonly record struct PlainShape(int Channels, int Height, int Width)
{
    /// <summary>Gets a value indicating whether the value is a feature vector [C] rather than a map [C, H, W].</summary>
    public bool IsVector => Height == 0 && Width == 0;

    /// <summary>Returns the shape of a feature vector with <paramref name="features"/> entries.</summary>
    /// <param name="features">The vector's length.</param>
    /// <returns>The shape.</returns>
    public static PlainShape Vector(int features) => new(features, 0, 0);

    /// <inheritdoc />
    public override string ToString() => IsVector ? $"[{Channels}]" : $"[{Channels}, {Height}, {Width}]";

    internal long[] WithBatch(long batch) => IsVector ? [batch, Channels] : [batch, Channels, Height, Width];
}
