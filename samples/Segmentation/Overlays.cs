using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Samples.Segmentation;

/// <summary>Side-by-side PNGs: the image, the true mask and the predicted mask, each class in its own colour (ignored pixels black).</summary>
internal static class Overlays
{
    private static readonly (byte R, byte G, byte B)[] Palette =
    [
        (40, 40, 40), (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
        (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
    ];

    public static void Write(SegmentationImages images, IReadOnlyList<int[]> truth, IReadOnlyList<int[]> predicted, int count, string folder)
    {
        Directory.CreateDirectory(folder);
        var (width, height) = (images.Width, images.Height);
        for (var n = 0; n < count; n++)
        {
            var bgra = new byte[4 * 3 * width * height];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var p = (y * width) + x;
                    var gray = images.Images[(n * width * height) + p];
                    Set(bgra, width, x, y, (gray, gray, gray));
                    Set(bgra, width, width + x, y, Colour(truth[n][p]));
                    Set(bgra, width, (2 * width) + x, y, Colour(predicted[n][p]));
                }
            }

            using var image = MLImage.CreateFromPixels(3 * width, height, MLPixelFormat.Bgra32, bgra);
            image.Save(Path.Combine(folder, $"overlay-{n.ToString(CultureInfo.InvariantCulture)}.png"));
        }
    }

    private static (byte R, byte G, byte B) Colour(int classId) => classId < 0 ? ((byte)0, (byte)0, (byte)0) : Palette[classId % Palette.Length];

    private static void Set(byte[] bgra, int width, int x, int y, (byte R, byte G, byte B) colour)
    {
        var at = 4 * ((y * 3 * width) + x);
        (bgra[at], bgra[at + 1], bgra[at + 2], bgra[at + 3]) = (colour.B, colour.G, colour.R, 255);
    }
}
