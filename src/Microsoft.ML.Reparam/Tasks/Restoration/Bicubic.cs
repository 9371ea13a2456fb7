using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// MATLAB's <c>imresize(…, 'bicubic')</c> for integer factors, which the published super-resolution figures use
/// (docs/restoration.md, "Bicubic"): Keys' kernel with a = −0.5, half-pixel sample positions, the kernel stretched by the
/// factor when shrinking (antialiasing: 4·r taps), weights normalised to sum to one, and the image mirrored past its
/// border (symmetric padding, edge pixel repeated). Planes are kept in double precision; rounding is the caller's.
/// </summary>
internal static class Bicubic
{
    /// <summary>Shrinks an H×W plane by <paramref name="factor"/> (H and W multiples of it).</summary>
    public static double[] Downscale(double[] plane, int height, int width, int factor) =>
        Resize(plane, height, width, height / factor, width / factor, factor, shrink: true);

    /// <summary>Enlarges an H×W plane by <paramref name="factor"/>.</summary>
    public static double[] Upscale(double[] plane, int height, int width, int factor) =>
        Resize(plane, height, width, height * factor, width * factor, factor, shrink: false);

    /// <summary>
    /// Resizes every channel of an 8-bit RGB image as MATLAB does for <c>uint8</c> input: height first, the intermediate
    /// rounded to 8 bits, then width, rounded again.
    /// </summary>
    public static RgbImage Resize(RgbImage image, int factor, bool shrink)
    {
        var (height, width) = shrink ? (image.Height / factor, image.Width / factor) : (image.Height * factor, image.Width * factor);
        var pixels = new byte[height * width * 3];
        for (var c = 0; c < 3; c++)
        {
            var plane = new double[image.Width * image.Height];
            for (var i = 0; i < plane.Length; i++)
            {
                plane[i] = image.Pixels[(3 * i) + c];
            }

            var resized = Resize(plane, image.Height, image.Width, height, width, factor, shrink, roundBetween: true);
            for (var i = 0; i < resized.Length; i++)
            {
                pixels[(3 * i) + c] = RgbImage.ToByte(resized[i]);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Resizes along the height, then the width (MATLAB's order when both factors are equal).</summary>
    private static double[] Resize(double[] plane, int height, int width, int outHeight, int outWidth, int factor, bool shrink, bool roundBetween = false)
    {
        var rows = Weights(height, outHeight, factor, shrink);
        var columns = Weights(width, outWidth, factor, shrink);
        var temporary = new double[outHeight * width];
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double sum = 0;
                foreach (var (index, weight) in rows[y])
                {
                    sum += weight * plane[(index * width) + x];
                }

                temporary[(y * width) + x] = roundBetween ? RgbImage.ToByte(sum) : sum;
            }
        }

        var result = new double[outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                double sum = 0;
                foreach (var (index, weight) in columns[x])
                {
                    sum += weight * temporary[(y * width) + index];
                }

                result[(y * outWidth) + x] = sum;
            }
        }

        return result;
    }

    /// <summary>The taps (input index, weight) of every output position along one axis.</summary>
    private static (int Index, double Weight)[][] Weights(int length, int outLength, int factor, bool shrink)
    {
        var stretch = shrink ? factor : 1; // antialiasing widens the kernel by the shrink factor
        var taps = new (int, double)[outLength][];
        for (var o = 0; o < outLength; o++)
        {
            var centre = shrink ? ((o + 0.5) * factor) - 0.5 : ((o + 0.5) / factor) - 0.5;
            var first = (int)Math.Ceiling(centre - (2 * stretch));
            var last = (int)Math.Floor(centre + (2 * stretch));
            var weights = Enumerable.Range(first, last - first + 1).Select(j => (Index: Mirror(j, length), Weight: PlainCubicUpsample.Kernel((centre - j) / stretch))).ToArray();
            var total = weights.Sum(w => w.Weight);
            taps[o] = [.. weights.Where(w => w.Weight != 0).Select(w => (w.Index, w.Weight / total))];
        }

        return taps;
    }

    /// <summary>Symmetric padding: −1 → 0, −2 → 1, n → n − 1.</summary>
    private static int Mirror(int index, int length)
    {
        var period = 2 * length;
        index = ((index % period) + period) % period;
        return index < length ? index : period - 1 - index;
    }
}
