using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// The colour conversions of the deployed restorers as plain 1×1 convolutions on RGB in [0, 1] (docs/restoration.md,
/// "Colour"): BT.601 luma and chroma (MATLAB's <c>rgb2ycbcr</c>, scaled to [0, 1]), its exact inverse, the gray mean and
/// its replication to three channels.
/// </summary>
internal static class ColorOps
{
    private static readonly double[,] YCbCr =
    {
        { 65.481, 128.553, 24.966 },
        { -37.797, -74.203, 112.0 },
        { 112.0, -93.786, -18.214 },
    };

    private static readonly double[] Offset = [16, 128, 128];

    /// <summary>Gets the luma weights (R, G, B) on the [0, 1] scale, without the offset (what differences of luma see).</summary>
    public static float[] LumaWeights { get; } = [.. Enumerable.Range(0, 3).Select(c => (float)(YCbCr[0, c] / 255))];

    /// <summary>Gets RGB → Y (one channel).</summary>
    public static PlainConv Luma { get; } = Pointwise(Rows(0, 1), [.. Offset[..1].Select(o => (float)(o / 255))], 3);

    /// <summary>Gets RGB → (Cb, Cr).</summary>
    public static PlainConv Chroma { get; } = Pointwise(Rows(1, 2), [.. Offset[1..].Select(o => (float)(o / 255))], 3);

    /// <summary>Gets (Y, Cb, Cr) → RGB, the inverse of the two above.</summary>
    public static PlainConv ToRgb { get; } = Inverse();

    /// <summary>Gets RGB → their mean.</summary>
    public static PlainConv Gray { get; } = Pointwise([1 / 3f, 1 / 3f, 1 / 3f], [0], 3);

    /// <summary>Gets one channel → three equal ones.</summary>
    public static PlainConv Replicate { get; } = Pointwise([1, 1, 1], [0, 0, 0], 1);

    /// <summary>Gets a plane of ones from three channels (the opaque alpha of the scoring chain's image).</summary>
    public static PlainConv OpaqueAlpha { get; } = Pointwise([0, 0, 0], [1], 3);

    private static float[] Rows(int first, int count) =>
        [.. Enumerable.Range(first, count).SelectMany(r => Enumerable.Range(0, 3).Select(c => (float)(YCbCr[r, c] / 255)))];

    private static PlainConv Pointwise(float[] weight, float[] bias, int inChannels) => new(weight, bias, bias.Length, inChannels, 1);

    private static PlainConv Inverse()
    {
        // RGB = M⁻¹ (YCbCr − offset), with M = YCbCr / 255 and the offset / 255; M⁻¹ by the adjugate.
        var m = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                m[r, c] = YCbCr[r, c] / 255;
            }
        }

        double Minor(int r, int c)
        {
            int[] rows = [.. Enumerable.Range(0, 3).Where(i => i != r)], cols = [.. Enumerable.Range(0, 3).Where(i => i != c)];
            return (m[rows[0], cols[0]] * m[rows[1], cols[1]]) - (m[rows[0], cols[1]] * m[rows[1], cols[0]]);
        }

        var determinant = (m[0, 0] * Minor(0, 0)) - (m[0, 1] * Minor(0, 1)) + (m[0, 2] * Minor(0, 2));
        var inverse = new double[3, 3];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                inverse[r, c] = ((r + c) % 2 == 0 ? 1 : -1) * Minor(c, r) / determinant;
            }
        }

        var weight = new float[9];
        var bias = new float[3];
        for (var r = 0; r < 3; r++)
        {
            double shift = 0;
            for (var c = 0; c < 3; c++)
            {
                weight[(3 * r) + c] = (float)inverse[r, c];
                shift -= inverse[r, c] * Offset[c] / 255;
            }

            bias[r] = (float)shift;
        }

        return Pointwise(weight, bias, 3);
    }
}
