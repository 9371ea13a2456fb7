using TorchSharp;

namespace Microsoft.ML.Reparam.Torch;

/// <summary>
/// Scalars that live as long as the process, for TorchSharp calls that take one. TorchSharp frees a
/// <see cref="Scalar"/> in its finalizer, so one made by an implicit conversion can be freed while native code still
/// reads it (docs/training.md, "Native calls"); a static field keeps these reachable, so their finalizers never run.
/// A value known only at run time is held for its call instead: <c>using var held = value.ToScalar();</c>.
/// </summary>
internal static class HeldScalars
{
    /// <summary>The integer 1: TorchSharp's default <c>alpha</c> of <c>add</c>, valid for integral and floating tensors.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer −1.</summary>
    public static readonly Scalar MinusOne = (-1).ToScalar();

    /// <summary>The integer 2.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>The integer 0.</summary>
    public static readonly Scalar Zero = 0.ToScalar();
}
