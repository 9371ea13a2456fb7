namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>Initial strides and mask shape of a <see cref="SpectralDownsampler"/>.</summary>
internal sealed record SpectralDownsamplerOptions
{
    /// <summary>Gets the initial stride along the height (at least 1; fractional strides are allowed).</summary>
    public double StrideHeight { get; init; } = 2;

    /// <summary>Gets the initial stride along the width; ignored when <see cref="SharedStride"/> is true.</summary>
    public double StrideWidth { get; init; } = 2;

    /// <summary>Gets the ramp width R of the mask in frequency bins (the reference's smoothness factor, default 4).</summary>
    public double Smoothness { get; init; } = 4;

    /// <summary>Gets a value indicating whether height and width share one stride (then <see cref="StrideHeight"/> is used).</summary>
    public bool SharedStride { get; init; }

    /// <summary>The options of a layer that starts at stride <paramref name="stride"/> on both axes.</summary>
    /// <param name="stride">The initial stride.</param>
    /// <returns>The options.</returns>
    public static SpectralDownsamplerOptions Square(double stride) => new() { StrideHeight = stride, StrideWidth = stride };

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Check(StrideHeight, nameof(StrideHeight));
        Check(StrideWidth, nameof(StrideWidth));
        if (!(Smoothness >= 1) || !double.IsFinite(Smoothness))
        {
            throw new ArgumentOutOfRangeException(nameof(Smoothness), Smoothness, "The mask's smoothness R must be a finite number of at least 1 frequency bin.");
        }
    }

    private static void Check(double stride, string name)
    {
        if (!(stride >= 1) || !double.IsFinite(stride))
        {
            throw new ArgumentOutOfRangeException(name, stride, $"{name} must be a finite stride of at least 1.");
        }
    }
}
