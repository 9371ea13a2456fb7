namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Options of <see cref="OnnxExporter"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Gets or sets the graph input's name; it takes pixels as ML.NET extracts them, [N, C, H, W] scaled to [0, 1].</summary>
    public string InputName { get; set; } = "input";

    /// <summary>Gets or sets the names of the graph outputs, one per output of the plain graph, or null to keep the graph's names.</summary>
    public IReadOnlyList<string>? OutputNames { get; set; }

    /// <summary>Gets or sets the fixed batch size, or null for a symbolic batch dimension "N".</summary>
    public int? BatchSize { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the input height and width are fixed to the size the graph was folded
    /// for. When false they are symbolic ("H", "W") unless an operation fixes the size (docs/onnx.md).
    /// </summary>
    public bool FixedSize { get; set; }

    /// <summary>Gets or sets the ONNX opset version (15 or later).</summary>
    public int OpsetVersion { get; set; } = 17;

    /// <summary>
    /// Gets extra string outputs for ML.NET scoring: each maps a graph output of class indices (an arg-max) to the class
    /// names, one name per pixel, shaped [H, W] (<see cref="ClassNameOutput"/>). Fixed-size exports only.
    /// </summary>
    internal IReadOnlyList<ClassNameOutput> ClassNameOutputs { get; init; } = [];
}

/// <summary>A string output that names the class at every position of a graph output of class indices.</summary>
/// <param name="GraphOutput">The position of the class-index output among the graph's outputs.</param>
/// <param name="Name">The ONNX output's name.</param>
/// <param name="ClassNames">The name of each class index.</param>
internal sealed record ClassNameOutput(int GraphOutput, string Name, IReadOnlyList<string> ClassNames);
