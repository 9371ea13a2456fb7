using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Reparam.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>
/// Describes the training data and device for a checkpoint: count, shape, a SHA-256 of the rows, their pixels and their
/// targets (labels, masks, target images), and the device type (a generator's state differs between devices), so a
/// checkpoint is not resumed on other data or another device.
/// </summary>
internal static class DataFingerprint
{
    public static IReadOnlyDictionary<string, string> Add(IReadOnlyDictionary<string, string> run, ImageTensorDataset data, int[] rows, Device device)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(rows.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(data.Pixels.AsSpan()));
        for (var start = 0; start < rows.Length; start += 256)
        {
            using var scope = NewDisposeScope();
            var targets = data.Targets.Batch(rows.AsSpan(start, Math.Min(256, rows.Length - start))).cpu().contiguous();
            hash.AppendData(targets.bytes);
        }

        return new Dictionary<string, string>(run)
        {
            ["data.images"] = $"{rows.Length}",
            ["data.shape"] = $"{data.Channels}x{data.Height}x{data.Width}",
            ["data.sha256"] = Convert.ToHexString(hash.GetHashAndReset()),
            ["device"] = $"{device.type}",
        };
    }
}
