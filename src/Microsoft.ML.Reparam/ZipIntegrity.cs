using System.IO.Compression;
using System.IO.Hashing;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Checks a .zip before ML.NET reads it: .NET's zip reader does not compare an entry's content with its CRC-32, so a
/// flipped byte inside a stored model would load as other weights. Every entry is decompressed and its CRC-32 compared.
/// </summary>
internal static class ZipIntegrity
{
    /// <exception cref="InvalidDataException">The file is not a readable zip, or an entry's content does not match its CRC-32; the message names the file and the entry.</exception>
    public static void Verify(string path)
    {
        string? corrupted;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            corrupted = archive.Entries.FirstOrDefault(entry => Crc32Of(entry) != entry.Crc32)?.FullName;
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"Model file '{path}' is not a readable .zip (truncated or corrupted): {error.Message}", error);
        }

        if (corrupted is not null)
        {
            throw new InvalidDataException($"Model file '{path}' is corrupted: the content of entry '{corrupted}' does not match its CRC-32.");
        }
    }

    private static uint Crc32Of(ZipArchiveEntry entry)
    {
        var crc = new Crc32();
        using var content = entry.Open();
        crc.Append(content);
        return crc.GetCurrentHashAsUInt32();
    }
}
