namespace Microsoft.ML.Reparam.Folding;

/// <summary>
/// How far a folded network's output is from the unfolded network's eval-mode output on the same batch.
/// <see cref="MaxRelative"/> is <c>max|a − b| / max|a|</c>: the worst difference relative to the output's scale
/// (element-wise ratios are meaningless where outputs cross zero).
/// </summary>
/// <param name="MaxAbsolute">Largest absolute difference.</param>
/// <param name="MaxRelative">Largest absolute difference divided by the largest unfolded magnitude.</param>
public readonly record struct FoldError(double MaxAbsolute, double MaxRelative)
{
    /// <summary>The tolerance on <see cref="MaxRelative"/> a float32 fold must meet.</summary>
    public const double Float32Tolerance = 1e-5;

    /// <summary>Gets a value indicating whether the error is within <see cref="Float32Tolerance"/>.</summary>
    public bool IsExact => MaxRelative <= Float32Tolerance;

    /// <inheritdoc />
    public override string ToString() => $"max abs {MaxAbsolute:E2}, max rel {MaxRelative:E2}";
}
