using System.Buffers.Binary;

namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>Reads an image's format and size from its first bytes, before anything decodes it (PNG, JPEG, BMP, GIF).</summary>
public static class ImageHeader
{
    /// <summary>Returns the format and size, or null when the bytes start no image of a supported format.</summary>
    public static (string Format, int Width, int Height)? Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 24 && bytes[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ("png", (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(bytes[16..])), (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(bytes[20..])));
        }

        if (bytes.Length >= 10 && bytes[..3].SequenceEqual("GIF"u8))
        {
            return ("gif", BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]));
        }

        if (bytes.Length >= 26 && bytes[..2].SequenceEqual("BM"u8))
        {
            return ("bmp", Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(bytes[18..])), Math.Abs(BinaryPrimitives.ReadInt32LittleEndian(bytes[22..])));
        }

        return bytes.Length >= 4 && bytes[0] == 0xFF && bytes[1] == 0xD8 ? Jpeg(bytes) : null;
    }

    /// <summary>Walks the JPEG markers to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC), which holds the size.</summary>
    private static (string, int, int)? Jpeg(ReadOnlySpan<byte> bytes)
    {
        var position = 2;
        while (position + 9 < bytes.Length)
        {
            if (bytes[position] != 0xFF)
            {
                return null;
            }

            var marker = bytes[position + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                return ("jpeg", BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(bytes[(position + 5)..]));
            }

            position += 2 + length;
        }

        return null;
    }

    /// <summary>
    /// Returns whether the file ends as its format says a file ends — PNG chunks walked to IEND, JPEG's end-of-image
    /// marker, GIF's trailer, BMP's declared size — since the decoder fills a truncated image in instead of failing.
    /// </summary>
    public static bool IsComplete(ReadOnlySpan<byte> bytes, string format) => format switch
    {
        "png" => PngEndsWithIend(bytes),
        "jpeg" => bytes.Length >= 4 && bytes[^2] == 0xFF && bytes[^1] == 0xD9,
        "gif" => bytes[^1] == 0x3B,
        "bmp" => bytes.Length >= 6 && BinaryPrimitives.ReadUInt32LittleEndian(bytes[2..]) <= bytes.Length,
        _ => false,
    };

    private static bool PngEndsWithIend(ReadOnlySpan<byte> bytes)
    {
        long position = 8;
        while (position + 12 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[(int)position..]);
            if (bytes.Slice((int)position + 4, 4).SequenceEqual("IEND"u8))
            {
                return true;
            }

            position += 12L + length;
        }

        return false;
    }
}
