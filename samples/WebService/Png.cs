namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>PNG encoding through ML.NET's MLImage (which saves by file extension).</summary>
public static class Png
{
    public static byte[] FromImage(MLImage image)
    {
        var path = Path.Combine(Path.GetTempPath(), $"response-{Guid.NewGuid():N}.png");
        try
        {
            image.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Encodes 8-bit gray values (a mask's class ids) as a PNG.</summary>
    public static byte[] FromGray(byte[] values, int width, int height)
    {
        var bgra = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            bgra[(4 * i) + 0] = bgra[(4 * i) + 1] = bgra[(4 * i) + 2] = values[i];
            bgra[(4 * i) + 3] = 255;
        }

        using var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
        return FromImage(image);
    }
}
