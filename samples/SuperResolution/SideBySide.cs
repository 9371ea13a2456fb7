using Microsoft.ML.Data;

namespace Microsoft.ML.Reparam.Samples.SuperResolution;

/// <summary>Writes images next to each other, with a white gap, into one PNG; each is cropped to the first one's size.</summary>
internal static class SideBySide
{
    private const int Gap = 8;

    public static void Save(string path, params MLImage[] images)
    {
        var (width, height) = (images[0].Width, images[0].Height);
        var total = (images.Length * width) + ((images.Length - 1) * Gap);
        var pixels = Enumerable.Repeat(byte.MaxValue, total * height * 4).ToArray();
        for (var k = 0; k < images.Length; k++)
        {
            var source = images[k].Pixels;
            var bgra = images[k].PixelFormat == MLPixelFormat.Bgra32;
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var (from, to) = (4 * ((y * images[k].Width) + x), 4 * ((y * total) + (k * (width + Gap)) + x));
                    pixels[to] = source[from + (bgra ? 2 : 0)];
                    pixels[to + 1] = source[from + 1];
                    pixels[to + 2] = source[from + (bgra ? 0 : 2)];
                }
            }
        }

        using var image = MLImage.CreateFromPixels(total, height, MLPixelFormat.Rgba32, pixels);
        image.Save(path);
    }
}
