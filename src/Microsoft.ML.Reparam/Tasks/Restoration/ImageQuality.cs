namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// The published image-restoration metrics, in one place (docs/restoration.md): PSNR and SSIM on 8-bit planes after
/// cropping a border, and the BT.601 luma the super-resolution literature measures on.
/// </summary>
internal static class ImageQuality
{
    /// <summary>Returns the luma Y = 16 + 65.481 R + 128.553 G + 24.966 B (BT.601, R, G, B in [0, 1]; Y in [16, 235]) of an interleaved RGB image.</summary>
    public static double[] Luma(ReadOnlySpan<byte> rgb)
    {
        var y = new double[rgb.Length / 3];
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = 16 + (((65.481 * rgb[3 * i]) + (128.553 * rgb[(3 * i) + 1]) + (24.966 * rgb[(3 * i) + 2])) / 255);
        }

        return y;
    }

    /// <summary>PSNR = 10·log10(255² / MSE) of two planes of one size on the 0–255 scale, after cropping <paramref name="border"/> pixels from every side; +∞ when equal.</summary>
    public static double Psnr(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int height, int width, int border = 0) =>
        PsnrOf(MeanSquaredError(expected, actual, height, width, border));

    /// <summary>PSNR = 10·log10(255² / MSE) of a mean squared error on the 0–255 scale; +∞ for 0.</summary>
    public static double PsnrOf(double mse) => mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);

    /// <summary>The mean squared error of two planes of one size after cropping <paramref name="border"/> pixels from every side.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int height, int width, int border = 0)
    {
        Check(expected, actual, height, width, border);
        double sum = 0;
        for (var y = border; y < height - border; y++)
        {
            for (var x = border; x < width - border; x++)
            {
                var d = expected[(y * width) + x] - actual[(y * width) + x];
                sum += d * d;
            }
        }

        return sum / ((height - (2 * border)) * (width - (2 * border)));
    }

    /// <summary>
    /// SSIM (Wang et al. 2004) of two planes on the 0–255 scale after cropping <paramref name="border"/> pixels: an 11×11
    /// Gaussian window of σ = 1.5, K1 = 0.01, K2 = 0.03, L = 255, averaged over the positions where the window fits
    /// (MATLAB's <c>ssim_index</c>, which the published super-resolution figures use).
    /// </summary>
    public static double Ssim(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int height, int width, int border = 0)
    {
        Check(expected, actual, height, width, border);
        const int Radius = 5;
        const double C1 = 0.01 * 255 * 0.01 * 255, C2 = 0.03 * 255 * 0.03 * 255;
        var (top, bottom, left, right) = (border + Radius, height - border - Radius, border + Radius, width - border - Radius);
        if (bottom <= top || right <= left)
        {
            throw new ArgumentException($"A {width}x{height} image with a {border}-pixel border is smaller than the 11x11 SSIM window.");
        }

        // The window is separable: the five local moments are filtered along x, then along y (Gaussian(5, 1.5)).
        var window = Gaussian(Radius, 1.5);
        var (rows, columns) = (bottom - top, right - left);
        var moments = new double[5][];
        var a = expected.ToArray();
        var b = actual.ToArray();
        Func<int, double>[] values = [i => a[i], i => b[i], i => a[i] * a[i], i => b[i] * b[i], i => a[i] * b[i]];
        for (var m = 0; m < 5; m++)
        {
            var horizontal = new double[(rows + (2 * Radius)) * columns];
            for (var y = 0; y < rows + (2 * Radius); y++)
            {
                var row = (top - Radius + y) * width;
                for (var x = 0; x < columns; x++)
                {
                    double sum = 0;
                    for (var d = 0; d <= 2 * Radius; d++)
                    {
                        sum += window[d] * values[m](row + left + x - Radius + d);
                    }

                    horizontal[(y * columns) + x] = sum;
                }
            }

            moments[m] = new double[rows * columns];
            for (var y = 0; y < rows; y++)
            {
                for (var x = 0; x < columns; x++)
                {
                    double sum = 0;
                    for (var d = 0; d <= 2 * Radius; d++)
                    {
                        sum += window[d] * horizontal[((y + d) * columns) + x];
                    }

                    moments[m][(y * columns) + x] = sum;
                }
            }
        }

        double total = 0;
        for (var i = 0; i < rows * columns; i++)
        {
            var (mx, my) = (moments[0][i], moments[1][i]);
            var (vx, vy, cov) = (moments[2][i] - (mx * mx), moments[3][i] - (my * my), moments[4][i] - (mx * my));
            total += ((2 * mx * my) + C1) * ((2 * cov) + C2) / (((mx * mx) + (my * my) + C1) * (vx + vy + C2));
        }

        return total / (rows * columns);
    }

    private static double[] Gaussian(int radius, double sigma)
    {
        var weights = Enumerable.Range(-radius, (2 * radius) + 1).Select(i => Math.Exp(-(i * i) / (2 * sigma * sigma))).ToArray();
        var sum = weights.Sum();
        return [.. weights.Select(w => w / sum)];
    }

    private static void Check(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, int height, int width, int border)
    {
        if (expected.Length != height * width || actual.Length != height * width)
        {
            throw new ArgumentException($"Both planes must hold {width}x{height} = {height * width} values; got {expected.Length} and {actual.Length}.");
        }

        if (border < 0 || 2 * border >= Math.Min(height, width))
        {
            throw new ArgumentOutOfRangeException(nameof(border), border, $"The border must leave pixels of a {width}x{height} image.");
        }
    }
}
