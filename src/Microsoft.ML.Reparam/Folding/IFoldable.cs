using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Folding;

/// <summary>
/// A training-time module that emits its own deployed sub-graph: a composite (residual block, encoder or decoder
/// stage, a whole network) or a layer with a plain form of its own (a spectral downsampler). It folds its children
/// through the walker it is given, without knowing what they are.
/// </summary>
internal interface IFoldable
{
    /// <summary>Emits the module's eval-mode form applied to <paramref name="input"/>; returns its output.</summary>
    PlainValue Fold(GraphFolder folder, PlainValue input);
}
