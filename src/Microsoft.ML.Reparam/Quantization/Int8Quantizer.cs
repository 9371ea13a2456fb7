using Microsoft.ML.Reparam.Onnx.Proto;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>Post-training static quantization of a float ONNX model (docs/quantization.md): plan, calibrate, rewrite.</summary>
internal static class Int8Quantizer
{
    /// <summary>Returns the QDQ INT8 model of <paramref name="floatModel"/>, its activation ranges calibrated on <paramref name="batches"/>.</summary>
    public static byte[] Quantize(byte[] floatModel, IEnumerable<(float[] Data, long[] Shape)> batches, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var activations = QdqPlan.Activations(ModelProto.Parser.ParseFrom(floatModel).Graph);
        var ranges = OnnxCalibrator.Ranges(floatModel, activations, batches, options);
        return QdqWriter.Write(floatModel, ranges, options.ReduceRange);
    }
}
