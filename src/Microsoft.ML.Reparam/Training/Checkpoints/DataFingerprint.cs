using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>Describes the training images for a checkpoint: count, shape and a SHA-256 of the rows and their pixels, so a checkpoint is not resumed on other data.</summary>
internal static class DataFingerprint
{
    public static IReadOnlyDictionary<string, string> Add(IReadOnlyDictionary<string, string> run, ImageTensorDataset data, int[] rows)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes(rows.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(data.Pixels.AsSpan()));
        return new Dictionary<string, string>(run)
        {
            ["data.images"] = $"{rows.Length}",
            ["data.shape"] = $"{data.Channels}x{data.Height}x{data.Width}",
            ["data.sha256"] = Convert.ToHexString(hash.GetHashAndReset()),
        };
    }
}
