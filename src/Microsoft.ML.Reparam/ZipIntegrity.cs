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
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var buffer = new byte[81920];
            foreach (var entry in archive.Entries)
            {
                var crc = new Crc32();
                using var content = entry.Open();
                for (int read; (read = content.Read(buffer)) > 0;)
                {
                    crc.Append(buffer.AsSpan(0, read));
                }

                if (crc.GetCurrentHashAsUInt32() != entry.Crc32)
                {
                    throw new InvalidDataException($"Model file '{path}' is corrupted: the content of entry '{entry.FullName}' does not match its CRC-32.");
                }
            }
        }
        catch (InvalidDataException error) when (!error.Message.StartsWith("Model file", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Model file '{path}' is not a readable .zip (truncated or corrupted): {error.Message}", error);
        }
    }
}
