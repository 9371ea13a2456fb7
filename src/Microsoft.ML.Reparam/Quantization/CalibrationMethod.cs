namespace Microsoft.ML.Reparam.Quantization;

/// <summary>How an activation's quantization range is chosen from the values seen on calibration images.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: nothing saturates, rare outliers coarsen every step.</summary>
    MinMax,

    /// <summary>The values at <see cref="QuantizationOptions.Percentile"/> and its complement: the most extreme values saturate, the rest get finer steps.</summary>
    Percentile,
}
