namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// TorchSharp methods that the IL analysis calls unsafe but a reading of their code found safe: each holds the
/// Scalar or Tensor it makes (a <c>using</c>, a field) until the native call that uses it has returned. The scan
/// treats them, and what reaches a sink only through them, as safe. Add one only with its reason.
/// </summary>
internal static class ReviewedTorchSharpMethods
{
    /// <summary>Gets the reviewed methods, named as witnesses name them.</summary>
    public static IReadOnlyList<ReviewedMethod> All { get; } = [];
}
