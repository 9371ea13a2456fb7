using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Reparam.Tasks.Restoration;

namespace Microsoft.ML.Reparam.Tests.Restoration;

/// <summary>Small procedural colour images (gradients, stripes, a disc) for restoration tests.</summary>
internal static class TestImages
{
    public static RgbImage Make(int width, int height, int seed)
    {
        var random = new Random(seed);
        var (fx, fy, cx, cy) = (0.2 + random.NextDouble(), 0.2 + random.NextDouble(), random.Next(width), random.Next(height));
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var disc = ((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) < width * height / 10 ? 60 : 0;
                var i = 3 * ((y * width) + x);
                pixels[i] = (byte)Math.Clamp(40 + (150.0 * x / width) + disc, 0, 255);
                pixels[i + 1] = (byte)Math.Clamp(128 + (90 * Math.Sin((fx * x) + (fy * y))), 0, 255);
                pixels[i + 2] = (byte)Math.Clamp(200 - (120.0 * y / height) + random.Next(8), 0, 255);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    public static IDataView DataView(MLContext mlContext, IEnumerable<MLImage> images) =>
        mlContext.Data.LoadFromEnumerable(images.Select(image => new Row { Image = image }), SchemaDefinition.Create(typeof(Row)));

    public sealed class Row
    {
        [ImageType(1, 1)]
        public MLImage Image { get; set; } = null!;
    }
}
