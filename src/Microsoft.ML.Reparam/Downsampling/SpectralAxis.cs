namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>
/// One spatial axis of spectral downsampling: the signed frequencies that survive the crop (in FFT order), the output
/// length, and the real matrix that performs the whole axis (docs/diffstride.md, eqs. D1–D4).
/// </summary>
/// <param name="InputSize">Length of the axis before pooling.</param>
/// <param name="OutputSize">Length after pooling: the input length when nothing is cropped, else 2a + 1.</param>
/// <param name="Frequencies">The kept signed frequencies in FFT order: 0, 1, …, a, −a, …, −1 (or the full range).</param>
internal sealed record SpectralAxis(int InputSize, int OutputSize, int[] Frequencies)
{
    /// <summary>Keeps the frequencies f with |f| &lt; <paramref name="cutoff"/> (the support of the ramp, D2).</summary>
    public static SpectralAxis Crop(int inputSize, double cutoff)
    {
        if (inputSize / 2 < cutoff)
        {
            return new(inputSize, inputSize, [.. Enumerable.Range(0, inputSize).Select(k => k <= inputSize / 2 ? k : k - inputSize)]);
        }

        var highest = (int)Math.Ceiling(cutoff) - 1;
        int[] frequencies = [.. Enumerable.Range(0, highest + 1), .. Enumerable.Range(-highest, highest)];
        return new(inputSize, (2 * highest) + 1, frequencies);
    }

    /// <summary>Gets the number of non-negative kept frequencies: the rfft columns kept along the width.</summary>
    public int NonNegativeCount => Frequencies.Count(f => f >= 0);

    /// <summary>Gets the FFT indices of the kept frequencies: the rows kept along the height.</summary>
    public long[] Indices => [.. Frequencies.Select(f => (long)((f + InputSize) % InputSize))];

    /// <summary>
    /// The real [OutputSize, InputSize] matrix of this axis (D4): M[t, k] = (1/n) Σ_f w(f) cos(2π f (t/n' − k/n)),
    /// row-major, computed in double.
    /// </summary>
    /// <param name="weights">The mask value of each kept frequency, in the order of <see cref="Frequencies"/>.</param>
    public float[] Matrix(double[] weights)
    {
        var matrix = new float[OutputSize * InputSize];
        for (var t = 0; t < OutputSize; t++)
        {
            for (var k = 0; k < InputSize; k++)
            {
                var phase = (2 * Math.PI * t / OutputSize) - (2 * Math.PI * k / InputSize);
                double sum = 0;
                for (var i = 0; i < Frequencies.Length; i++)
                {
                    sum += weights[i] * Math.Cos(Frequencies[i] * phase);
                }

                matrix[(t * InputSize) + k] = (float)(sum / InputSize);
            }
        }

        return matrix;
    }
}
