
namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>A classifier's output: the class probabilities (their names are the Score column's slot names).</summary>
public sealed class ClassScores
{
    public float[] Score { get; set; } = [];
}

/// <summary>A segmenter's output: the class key of every pixel (key k is class k − 1), row-major.</summary>
public sealed class MaskOutput
{
    public VBuffer<uint> PredictedMask { get; set; }
}
