namespace Microsoft.ML.Reparam.Training.Reactivation;

/// <summary>One reactivation: after which epoch, with which γ_t, how many filters were invalid and how many kernels were rescaled.</summary>
/// <param name="Epoch">The 1-based epoch after which it ran.</param>
/// <param name="Gamma">γ_t used for C3.</param>
/// <param name="FiltersSelected">Filters satisfying C1 and C2.</param>
/// <param name="KernelsRescaled">Kernels selected by C3 and rescaled (kernels with zero L1 norm are skipped: no ratio to keep).</param>
public sealed record ReactivationEvent(int Epoch, double Gamma, int FiltersSelected, int KernelsRescaled)
{
    /// <inheritdoc />
    public override string ToString() => $"reactivation: γ {Gamma:F4}, {FiltersSelected} filters, {KernelsRescaled} kernels rescaled";
}
