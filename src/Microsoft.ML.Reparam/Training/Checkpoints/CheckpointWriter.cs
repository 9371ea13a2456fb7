using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>Collects named entries and writes them as one checkpoint file, atomically (<see cref="CheckpointFormat"/>).</summary>
internal sealed class CheckpointWriter
{
    private readonly MemoryStream _content = new();
    private readonly BinaryWriter _writer;
    private readonly HashSet<string> _names = [];

    public CheckpointWriter() => _writer = new BinaryWriter(_content, Encoding.UTF8, leaveOpen: true);

    /// <summary>Adds a copy of <paramref name="tensor"/>'s values (any device; float32, float64, int64 or uint8).</summary>
    public void Add(string name, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.detach().cpu().contiguous();
        var elementType = cpu.dtype switch
        {
            ScalarType.Float32 => CheckpointElementType.Float32,
            ScalarType.Float64 => CheckpointElementType.Float64,
            ScalarType.Int64 => CheckpointElementType.Int64,
            ScalarType.Byte => CheckpointElementType.UInt8,
            _ => throw new NotSupportedException($"Checkpoint entry '{name}' has element type {cpu.dtype}, which checkpoints do not store."),
        };
        Begin(name, CheckpointEntryKind.Tensor);
        _writer.Write((byte)elementType);
        _writer.Write(cpu.shape.Length);
        foreach (var size in cpu.shape)
        {
            _writer.Write(size);
        }

        _writer.Write(cpu.bytes);
    }

    public void Add(string name, IReadOnlyList<long> values)
    {
        Begin(name, CheckpointEntryKind.Int64s);
        _writer.Write(values.Count);
        foreach (var value in values)
        {
            _writer.Write(value);
        }
    }

    public void Add(string name, IReadOnlyList<double> values)
    {
        Begin(name, CheckpointEntryKind.Doubles);
        _writer.Write(values.Count);
        foreach (var value in values)
        {
            _writer.Write(value);
        }
    }

    public void Add(string name, string text)
    {
        Begin(name, CheckpointEntryKind.Text);
        var bytes = Encoding.UTF8.GetBytes(text);
        _writer.Write(bytes.Length);
        _writer.Write(bytes);
    }

    /// <summary>
    /// Writes the file: to a temporary file in the same folder, flushed to disk, then renamed over <paramref name="path"/>,
    /// so a crash at any point leaves either the previous checkpoint or the new one, never a partial file.
    /// </summary>
    public void Save(string path)
    {
        _writer.Flush();
        var payload = new byte[4 + _content.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, _names.Count);
        _content.GetBuffer().AsSpan(0, (int)_content.Length).CopyTo(payload.AsSpan(4));
        AtomicFile.Write(path, file =>
        {
            file.Write(CheckpointFormat.Magic);
            Span<byte> numbers = stackalloc byte[12];
            BinaryPrimitives.WriteInt32LittleEndian(numbers, CheckpointFormat.Version);
            BinaryPrimitives.WriteInt64LittleEndian(numbers[4..], payload.Length);
            file.Write(numbers);
            file.Write(SHA256.HashData(payload));
            file.Write(payload);
        });
    }

    private void Begin(string name, CheckpointEntryKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) > CheckpointFormat.MaxNameLength || !_names.Add(name))
        {
            throw new ArgumentException($"Checkpoint entry name '{name}' is too long or used twice.", nameof(name));
        }

        var bytes = Encoding.UTF8.GetBytes(name);
        _writer.Write(bytes.Length);
        _writer.Write(bytes);
        _writer.Write((byte)kind);
    }
}
