using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>
/// Reads a checkpoint file strictly (<see cref="CheckpointFormat"/>): the header, length and SHA-256 are checked before
/// any entry is parsed, every length is bounded by the bytes that remain, and anything unexpected is an
/// <see cref="InvalidDataException"/> that names the file and what is wrong.
/// </summary>
internal sealed class CheckpointReader
{
    private readonly Dictionary<string, Entry> _entries = [];

    private CheckpointReader(string path) => Path = path;

    /// <summary>Gets the file read.</summary>
    public string Path { get; }

    /// <summary>Gets the entry names.</summary>
    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>Reads and verifies the whole file.</summary>
    public static CheckpointReader Open(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new CheckpointReader(path);
        if (bytes.Length < CheckpointFormat.HeaderLength || !bytes.AsSpan(0, 8).SequenceEqual(CheckpointFormat.Magic))
        {
            throw reader.Invalid(bytes.Length == 0 ? "it is empty" : "it does not start with the checkpoint header (not a Microsoft.ML.Reparam checkpoint)");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != CheckpointFormat.Version)
        {
            throw reader.Invalid($"it has format version {version}; this library reads version {CheckpointFormat.Version}");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (length != bytes.Length - CheckpointFormat.HeaderLength)
        {
            throw reader.Invalid($"it is truncated or has extra bytes: the header announces {length} bytes of content, the file holds {bytes.Length - CheckpointFormat.HeaderLength}");
        }

        var payload = bytes.AsSpan(CheckpointFormat.HeaderLength);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(20, 32)))
        {
            throw reader.Invalid("its content does not match its checksum (the file is corrupted)");
        }

        reader.Parse(payload.ToArray());
        return reader;
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    /// <summary>Returns whether <paramref name="other"/> has an entry <paramref name="name"/> of the same kind, shape and bytes.</summary>
    public bool SameEntry(CheckpointReader other, string name) =>
        _entries.TryGetValue(name, out var mine) && other._entries.TryGetValue(name, out var theirs)
        && mine.Kind == theirs.Kind && mine.ElementType == theirs.ElementType && mine.Shape.SequenceEqual(theirs.Shape) && mine.Data.AsSpan().SequenceEqual(theirs.Data);

    /// <summary>Returns a new CPU tensor with the entry's values.</summary>
    public Tensor Tensor(string name)
    {
        var entry = Get(name, CheckpointEntryKind.Tensor);
        var dtype = entry.ElementType switch
        {
            CheckpointElementType.Float32 => ScalarType.Float32,
            CheckpointElementType.Float64 => ScalarType.Float64,
            CheckpointElementType.Int64 => ScalarType.Int64,
            _ => ScalarType.Byte,
        };
        var tensor = empty(entry.Shape, dtype);
        tensor.bytes = entry.Data;
        return tensor;
    }

    /// <summary>Copies the entry's values into <paramref name="target"/>, which must have the same shape and element type.</summary>
    public void CopyInto(string name, Tensor target)
    {
        using var values = Tensor(name);
        if (!values.shape.SequenceEqual(target.shape) || values.dtype != target.dtype)
        {
            throw Invalid($"entry '{name}' is {values.dtype} [{string.Join(", ", values.shape)}] but the model expects {target.dtype} [{string.Join(", ", target.shape)}]");
        }

        using var noGrad = no_grad();
        target.copy_(values);
    }

    public long[] Int64s(string name) => [.. Values(Get(name, CheckpointEntryKind.Int64s), BinaryPrimitives.ReadInt64LittleEndian)];

    public double[] Doubles(string name) => [.. Values(Get(name, CheckpointEntryKind.Doubles), BinaryPrimitives.ReadDoubleLittleEndian)];

    public long Int64(string name) => Single(name, Int64s(name));

    public double Double(string name) => Single(name, Doubles(name));

    public string Text(string name) => Encoding.UTF8.GetString(Get(name, CheckpointEntryKind.Text).Data);

    /// <summary>An <see cref="InvalidDataException"/> naming this file.</summary>
    public InvalidDataException Invalid(string problem) => new($"Checkpoint file '{Path}' cannot be used: {problem}. Delete it to start the training over.");

    private static T[] Values<T>(Entry entry, ReadValue<T> read)
    {
        var values = new T[entry.Data.Length / 8];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = read(entry.Data.AsSpan(8 * i, 8));
        }

        return values;
    }

    private T Single<T>(string name, T[] values) => values.Length == 1 ? values[0] : throw Invalid($"entry '{name}' holds {values.Length} values, not one");

    private Entry Get(string name, CheckpointEntryKind kind)
    {
        if (!_entries.TryGetValue(name, out var entry))
        {
            throw Invalid($"it has no entry '{name}'");
        }

        return entry.Kind == kind ? entry : throw Invalid($"entry '{name}' is a {entry.Kind}, not a {kind}");
    }

    private void Parse(byte[] payload)
    {
        var position = 0;
        var count = ReadInt32(payload, ref position, "the entry count");
        for (var i = 0; i < count; i++)
        {
            var nameLength = ReadInt32(payload, ref position, $"the name length of entry {i}");
            if (nameLength is <= 0 or > CheckpointFormat.MaxNameLength)
            {
                throw Invalid($"entry {i} has a name of {nameLength} bytes");
            }

            var name = Encoding.UTF8.GetString(Take(payload, ref position, nameLength, $"the name of entry {i}"));
            var kind = (CheckpointEntryKind)Take(payload, ref position, 1, $"the kind of entry '{name}'")[0];
            var entry = kind switch
            {
                CheckpointEntryKind.Tensor => ParseTensor(payload, ref position, name),
                CheckpointEntryKind.Int64s or CheckpointEntryKind.Doubles or CheckpointEntryKind.Text => ParseVector(payload, ref position, name, kind),
                _ => throw Invalid($"entry '{name}' has unknown kind {(byte)kind}"),
            };
            if (!_entries.TryAdd(name, entry))
            {
                throw Invalid($"entry '{name}' appears twice");
            }
        }

        if (position != payload.Length)
        {
            throw Invalid($"{payload.Length - position} bytes follow the last entry");
        }
    }

    private Entry ParseTensor(byte[] payload, ref int position, string name)
    {
        var elementType = (CheckpointElementType)Take(payload, ref position, 1, $"the element type of '{name}'")[0];
        var elementSize = elementType switch
        {
            CheckpointElementType.Float32 => 4,
            CheckpointElementType.Float64 or CheckpointElementType.Int64 => 8,
            CheckpointElementType.UInt8 => 1,
            _ => throw Invalid($"tensor '{name}' has unknown element type {(byte)elementType}"),
        };
        var rank = ReadInt32(payload, ref position, $"the rank of '{name}'");
        if (rank is < 0 or > CheckpointFormat.MaxRank)
        {
            throw Invalid($"tensor '{name}' has rank {rank}");
        }

        var shape = new long[rank];
        long elements = 1;
        for (var d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt64LittleEndian(Take(payload, ref position, 8, $"the shape of '{name}'"));
            if (shape[d] < 0 || shape[d] > payload.Length)
            {
                throw Invalid($"tensor '{name}' has dimension {shape[d]}");
            }

            elements *= shape[d];
            if (elements * elementSize > payload.Length)
            {
                throw Invalid($"tensor '{name}' announces more values than the file holds");
            }
        }

        return new Entry(CheckpointEntryKind.Tensor, elementType, shape, Take(payload, ref position, (int)(elements * elementSize), $"the values of '{name}'").ToArray());
    }

    private Entry ParseVector(byte[] payload, ref int position, string name, CheckpointEntryKind kind)
    {
        var count = ReadInt32(payload, ref position, $"the length of '{name}'");
        var size = kind == CheckpointEntryKind.Text ? 1L : 8L;
        if (count < 0 || count * size > payload.Length - position)
        {
            throw Invalid($"entry '{name}' announces {count} values, more than the file holds");
        }

        return new Entry(kind, default, [count], Take(payload, ref position, (int)(count * size), $"the values of '{name}'").ToArray());
    }

    private int ReadInt32(byte[] payload, ref int position, string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(payload, ref position, 4, what));

    private ReadOnlySpan<byte> Take(byte[] payload, ref int position, int count, string what)
    {
        if (count < 0 || count > payload.Length - position)
        {
            throw Invalid($"it ends inside {what}");
        }

        var span = payload.AsSpan(position, count);
        position += count;
        return span;
    }

    private delegate T ReadValue<T>(ReadOnlySpan<byte> bytes);

    private sealed record Entry(CheckpointEntryKind Kind, CheckpointElementType ElementType, long[] Shape, byte[] Data);
}
