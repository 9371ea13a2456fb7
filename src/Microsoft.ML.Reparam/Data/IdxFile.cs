namespace Microsoft.ML.Reparam.Data;

/// <summary>The element types an IDX file can hold (third byte of its magic number).</summary>
internal enum IdxElementType : byte
{
    /// <summary>Unsigned byte.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed byte.</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian 16-bit integer.</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integer.</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian 32-bit float.</summary>
    Single = 0x0D,

    /// <summary>Big-endian 64-bit float.</summary>
    Double = 0x0E,
}

/// <summary>The content of one IDX file: element type, dimensions and the values as stored (big-endian).</summary>
/// <param name="ElementType">The element type.</param>
/// <param name="Dimensions">The dimensions, outermost first.</param>
/// <param name="Data">The values' bytes as stored in the file.</param>
internal sealed record IdxFile(IdxElementType ElementType, IReadOnlyList<int> Dimensions, byte[] Data)
{
    /// <summary>Gets the number of values.</summary>
    public long Count => Dimensions.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>Gets the size of one element in bytes.</summary>
    public int ElementSize => ElementSizeOf(ElementType);

    /// <summary>Returns the values as bytes; only for <see cref="IdxElementType.UnsignedByte"/> files.</summary>
    /// <returns>The values.</returns>
    /// <exception cref="InvalidOperationException">The file holds another element type.</exception>
    public byte[] AsBytes() => ElementType == IdxElementType.UnsignedByte
        ? Data
        : throw new InvalidOperationException($"The IDX file holds {ElementType} values, not unsigned bytes.");

    /// <summary>Returns every value converted to <see cref="float"/>.</summary>
    /// <returns>The values.</returns>
    public float[] ToSingles()
    {
        var values = new float[Count];
        var size = ElementSize;
        for (long i = 0; i < values.LongLength; i++)
        {
            var bytes = Data.AsSpan((int)(i * size), size);
            values[i] = ElementType switch
            {
                IdxElementType.UnsignedByte => bytes[0],
                IdxElementType.SignedByte => (sbyte)bytes[0],
                IdxElementType.Int16 => System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(bytes),
                IdxElementType.Int32 => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes),
                IdxElementType.Single => System.Buffers.Binary.BinaryPrimitives.ReadSingleBigEndian(bytes),
                _ => (float)System.Buffers.Binary.BinaryPrimitives.ReadDoubleBigEndian(bytes),
            };
        }

        return values;
    }

    /// <summary>Returns the size in bytes of one element of <paramref name="type"/>.</summary>
    /// <param name="type">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    public static int ElementSizeOf(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Single => 4,
        IdxElementType.Double => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown IDX element type."),
    };
}
