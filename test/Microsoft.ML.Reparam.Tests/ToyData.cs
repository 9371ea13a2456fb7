using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Tests;

/// <summary>Tiny separable image sets for training tests.</summary>
internal static class ToyData
{
    /// <summary>Class 0: bright left half; class 1: bright right half; plus seeded noise. Pixels in [0, 1].</summary>
    public static ImageTensorDataset LeftRight(int count, int size = 8, int seed = 0)
    {
        var random = new Random(seed);
        var pixels = new float[count * size * size];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var bright = (x < size / 2) == (labels[n] == 0);
                    pixels[(n * size * size) + (y * size) + x] = (bright ? 0.7f : 0.2f) + (0.2f * (float)random.NextDouble());
                }
            }
        }

        return new ImageTensorDataset(pixels, labels, 1, size, size, 2);
    }
}
