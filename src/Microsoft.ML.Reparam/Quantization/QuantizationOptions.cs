namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// Post-training static INT8 quantization of the deployed network (docs/quantization.md): the folded graph is written
/// as a QDQ ONNX model — signed 8-bit weights per output channel, unsigned 8-bit activations with ranges calibrated on
/// training images — which ONNX Runtime fuses into integer kernels.
/// </summary>
public sealed class QuantizationOptions
{
    /// <summary>Gets or sets how many training images (seeded, not the held-back ones) calibrate the activation ranges.</summary>
    public int CalibrationImages { get; set; } = 256;

    /// <summary>Gets or sets how an activation's range is chosen from the values seen in calibration.</summary>
    public CalibrationMethod Method { get; set; } = CalibrationMethod.Percentile;

    /// <summary>
    /// Gets or sets the share of calibration values, in percent, that <see cref="CalibrationMethod.Percentile"/> keeps
    /// inside the range at each end (99.99: the 0.01 % most extreme values on each side saturate).
    /// </summary>
    public double Percentile { get; set; } = 99.99;

    /// <summary>
    /// Gets or sets a value indicating whether weights use 7 bits ([−64, 63]) instead of 8 (default true). ONNX
    /// Runtime's 8-bit kernels on x86 processors without VNNI sum pairs of unsigned × signed 8-bit products in 16 bits,
    /// which saturates with full-range weights: measured on such a processor (docs/results/int8-study.md), the integer
    /// kernels then differ from the QDQ graph they run by 0.3 to several units in the logits, and by at most a few
    /// activation steps (≤ 0.02) with 7-bit weights. Turn it off only for targets whose kernels do not saturate (VNNI,
    /// ARM); <see cref="QuantizationReport.KernelMaxAbsError"/> shows it.
    /// </summary>
    public bool ReduceRange { get; set; } = true;

    internal QuantizationOptions Copy() => (QuantizationOptions)MemberwiseClone();

    /// <summary>Throws naming the first option out of its range.</summary>
    internal void Validate()
    {
        if (CalibrationImages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CalibrationImages), CalibrationImages, $"{nameof(CalibrationImages)} must be at least 1.");
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(nameof(Method), Method, $"Unknown calibration {nameof(Method)}.");
        }

        if (!(Percentile is > 50 and <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(Percentile), Percentile, $"{nameof(Percentile)} must be in (50, 100].");
        }
    }
}
