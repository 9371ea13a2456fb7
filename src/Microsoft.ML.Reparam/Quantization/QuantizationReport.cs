namespace Microsoft.ML.Reparam.Quantization;

/// <summary>What INT8 deployment measured: the INT8 network's metric beside the float one on the fit's held-back images, and which operations run as integer kernels.</summary>
/// <param name="Method">How activation ranges were calibrated.</param>
/// <param name="CalibrationImages">How many training images calibrated them.</param>
/// <param name="ReduceRange">Whether the weights use 7 bits (<see cref="QuantizationOptions.ReduceRange"/>).</param>
/// <param name="MetricName">The task's metric (accuracy, mean IoU, PSNR).</param>
/// <param name="FloatMetric">The float deployed network's metric on the held-back images.</param>
/// <param name="Int8Metric">The INT8 network's metric on the same images, run in ONNX Runtime.</param>
/// <param name="Images">How many held-back images were compared.</param>
/// <param name="MaxAbsDifference">The largest absolute difference between the INT8 and float networks' first output (logits, scores or pixels).</param>
/// <param name="KernelMaxAbsError">
/// The largest absolute difference, on the held-back images, between the INT8 model as ONNX Runtime runs it (integer
/// kernels) and the same QDQ graph evaluated node by node as ONNX defines it: near zero when the kernels compute what
/// the graph says; large when 8-bit products saturate (full-range weights on x86 without VNNI, docs/quantization.md).
/// </param>
/// <param name="Operators">The operations ONNX Runtime runs for the INT8 model after fusing its QDQ groups.</param>
public sealed record QuantizationReport(CalibrationMethod Method, int CalibrationImages, bool ReduceRange, string MetricName, double FloatMetric, double Int8Metric, int Images, double MaxAbsDifference, double KernelMaxAbsError, OperatorCounts Operators)
{
    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"INT8 {MetricName} {Int8Metric:G5} vs float {FloatMetric:G5} on {Images} held-back images (max abs output difference {MaxAbsDifference:G3}; integer kernels vs QDQ reference {KernelMaxAbsError:G3}; {Method} calibration on {CalibrationImages} images{(ReduceRange ? ", 7-bit weights" : string.Empty)}); ONNX Runtime runs {Operators}");
}
