using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Reparam.Data;

/// <summary>Reads and writes IDX files (the MNIST format), gzip-compressed or not.</summary>
internal static class IdxReader
{
    /// <summary>Reads the IDX file at <paramref name="path"/>; gzip is detected from the content, not the name.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The file's content.</returns>
    /// <exception cref="InvalidDataException">The file is not IDX or is truncated.</exception>
    public static IdxFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Reads an IDX file from <paramref name="stream"/>; gzip is detected from the first two bytes.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="name">A name for error messages.</param>
    /// <returns>The file's content.</returns>
    public static IdxFile Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffered = new BufferedStream(stream);
        var head = new byte[2];
        var peeked = buffered.Read(head, 0, 2);
        var rest = new MemoryStream();
        rest.Write(head, 0, peeked);
        buffered.CopyTo(rest);
        rest.Position = 0;
        Stream content = peeked == 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(rest, CompressionMode.Decompress) : rest;
        using (content)
        {
            return Parse(content, name);
        }
    }

    /// <summary>Writes unsigned-byte values as a gzip-compressed IDX file.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="dimensions">The dimensions, outermost first.</param>
    /// <param name="values">The values, row-major.</param>
    public static void WriteGzip(string path, IReadOnlyList<int> dimensions, ReadOnlySpan<byte> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(dimensions);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
        Span<byte> word = stackalloc byte[4];
        gzip.Write([0, 0, (byte)IdxElementType.UnsignedByte, (byte)dimensions.Count]);
        foreach (var dim in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, dim);
            gzip.Write(word);
        }

        gzip.Write(values);
    }

    private static IdxFile Parse(Stream stream, string name)
    {
        Span<byte> magic = stackalloc byte[4];
        if (stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) < 4 || magic[0] != 0 || magic[1] != 0 || !Enum.IsDefined((IdxElementType)magic[2]) || magic[3] == 0)
        {
            throw new InvalidDataException($"'{name}' is not an IDX file: bad magic number {Convert.ToHexString(magic)}.");
        }

        var type = (IdxElementType)magic[2];
        var dimensions = new int[magic[3]];
        Span<byte> word = stackalloc byte[4];
        for (var i = 0; i < dimensions.Length; i++)
        {
            if (stream.ReadAtLeast(word, 4, throwOnEndOfStream: false) < 4)
            {
                throw new InvalidDataException($"'{name}' is truncated inside its header (dimension {i + 1} of {dimensions.Length}).");
            }

            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
            if (dimensions[i] < 0)
            {
                throw new InvalidDataException($"'{name}' declares a negative dimension {dimensions[i]}.");
            }
        }

        var expected = dimensions.Aggregate(1L, (product, dim) => product * dim) * IdxFile.ElementSizeOf(type);
        if (expected > Array.MaxLength)
        {
            throw new InvalidDataException($"'{name}' declares {expected} bytes of data, more than one array can hold.");
        }

        var data = new byte[expected];
        var read = stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        if (read < data.Length)
        {
            throw new InvalidDataException($"'{name}' is truncated: its header declares [{string.Join(", ", dimensions)}] ({expected} bytes of data) but only {read} bytes follow.");
        }

        return new IdxFile(type, dimensions, data);
    }
}
