using Microsoft.ML.Reparam.Folding;

namespace Microsoft.ML.Reparam;

/// <summary>How exactly a fit's deployed model reproduces the trained network, measured on held-back images.</summary>
/// <param name="Fold">Folded plain network (TorchSharp) vs the trained network, both in eval mode, on logits.</param>
/// <param name="OnnxMaxAbsError">ONNX Runtime vs the folded graph in TorchSharp, every output (logits and probabilities for a classifier), largest absolute difference.</param>
/// <param name="Images">How many held-back images were compared.</param>
public sealed record FoldReport(FoldError Fold, double OnnxMaxAbsError, int Images)
{
    /// <summary>The largest absolute ONNX Runtime vs TorchSharp difference accepted.</summary>
    public const double OnnxTolerance = 1e-4;
}
