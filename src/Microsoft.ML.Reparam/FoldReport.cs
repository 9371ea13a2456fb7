using Microsoft.ML.Reparam.Folding;

namespace Microsoft.ML.Reparam;

/// <summary>How exactly a fit's deployed model reproduces the trained network, measured on held-back images.</summary>
/// <param name="Fold">Folded plain network (TorchSharp) vs the trained network, both in eval mode, on logits.</param>
/// <param name="OnnxMaxAbsError">ONNX Runtime vs the folded graph in TorchSharp, every output (logits and probabilities for a classifier), largest absolute difference.</param>
/// <param name="Images">How many held-back images were compared.</param>
public sealed record FoldReport(FoldError Fold, double OnnxMaxAbsError, int Images)
{
    /// <summary>
    /// The largest ONNX Runtime vs TorchSharp difference accepted, on <see cref="OnnxMaxScaledError"/>: absolute for
    /// outputs within ±1 (probabilities, pixels), relative to the output's largest magnitude above that (logits of a
    /// wide network, whose float32 rounding in two runtimes' different summation orders grows with their size).
    /// </summary>
    public const double OnnxTolerance = 1e-4;

    /// <summary>Gets the largest ONNX Runtime vs TorchSharp difference of an image's output divided by max(1, the output's largest magnitude); the fit requires it to be within <see cref="OnnxTolerance"/>.</summary>
    public double OnnxMaxScaledError { get; init; }
}
