using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Writes a <see cref="PlainNetwork"/> as a standard-opset ONNX model.</summary>
public static class OnnxExporter
{
    /// <summary>Serializes <paramref name="network"/> to ONNX model bytes.</summary>
    /// <param name="network">The plain network.</param>
    /// <param name="options">Export options.</param>
    /// <returns>The serialized ModelProto.</returns>
    public static byte[] Export(PlainNetwork network, OnnxExportOptions options) => throw new NotImplementedException("CONTRACT: implemented by the ONNX work item.");
}
