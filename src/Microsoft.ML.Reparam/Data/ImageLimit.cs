using Microsoft.ML.Data;

namespace Microsoft.ML.Reparam.Data;

/// <summary>Reading one image of a column: decoding failures and the size limit (<see cref="ReparamTrainerOptions.MaxImagePixels"/>), named by column and row before any copy is made.</summary>
internal static class ImageLimit
{
    /// <summary>The default limit: 100 megapixels (400 MB as RGBA).</summary>
    public const long DefaultMaxPixels = 100_000_000;

    public static void Check(string column, int row, int width, int height, long maxPixels, string role = "Image")
    {
        if ((long)width * height > maxPixels)
        {
            throw new ArgumentException($"{role} column '{column}': row {row} is {width}x{height} = {(long)width * height} pixels, more than MaxImagePixels {maxPixels}. Resize it first, or raise MaxImagePixels.");
        }
    }

    /// <summary>Gets the row's image; a file ML.NET cannot decode (empty, truncated, not an image) is named by column and row.</summary>
    public static void Read(ValueGetter<MLImage> getter, ref MLImage image, string column, int row, string role = "Image")
    {
        try
        {
            getter(ref image);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException)
        {
            throw new ArgumentException($"{role} column '{column}': row {row} cannot be read: {error.Message}", error);
        }
    }
}
