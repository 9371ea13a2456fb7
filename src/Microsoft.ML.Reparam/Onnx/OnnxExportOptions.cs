namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Options of <see cref="OnnxExporter"/>.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Gets or sets the graph input's name; it takes pixels as ML.NET extracts them, [N, C, H, W].</summary>
    public string InputName { get; set; } = "input";

    /// <summary>Gets or sets the graph output's name.</summary>
    public string OutputName { get; set; } = "output";

    /// <summary>Gets or sets the per-channel mean subtracted from the input inside the graph, or null for none.</summary>
    public float[]? InputMean { get; set; }

    /// <summary>Gets or sets the per-channel standard deviation the input is divided by inside the graph, or null for none.</summary>
    public float[]? InputStd { get; set; }

    /// <summary>Gets or sets a value indicating whether a softmax over the last axis ends the graph (classifiers).</summary>
    public bool AppendSoftmax { get; set; }

    /// <summary>
    /// Gets or sets the name of a second output holding the logits (the values before the softmax), or null for none.
    /// ML.NET scoring feeds them to its stock multiclass scorer, which applies the same softmax and picks the label.
    /// </summary>
    public string? LogitsOutputName { get; set; }

    /// <summary>Gets or sets the fixed batch size, or null for a symbolic batch dimension.</summary>
    public int? BatchSize { get; set; }

    /// <summary>Gets or sets the ONNX opset version.</summary>
    public int OpsetVersion { get; set; } = 17;
}
