namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>
/// The checkpoint file layout (docs/security.md): the 8-byte magic <c>RPRMCKPT</c>, a 4-byte format version, the 8-byte
/// length of the content, its 32-byte SHA-256, then the content: an entry count and named entries, each a tensor
/// (element type, rank ≤ 8, dimensions, raw little-endian elements), a vector of 64-bit integers or doubles, or UTF-8
/// text. Nothing else is ever read: no type names, no serializer of arbitrary objects.
/// </summary>
internal static class CheckpointFormat
{
    public const int Version = 1;
    public const int HeaderLength = 8 + 4 + 8 + 32;
    public const int MaxNameLength = 1024;
    public const int MaxRank = 8;

    public static ReadOnlySpan<byte> Magic => "RPRMCKPT"u8;
}

/// <summary>What an entry of a checkpoint holds.</summary>
internal enum CheckpointEntryKind : byte
{
    Tensor = 1,
    Int64s = 2,
    Doubles = 3,
    Text = 4,
}

/// <summary>The element types a checkpoint tensor may have.</summary>
internal enum CheckpointElementType : byte
{
    Float32 = 1,
    Float64 = 2,
    Int64 = 3,
    UInt8 = 4,
}
