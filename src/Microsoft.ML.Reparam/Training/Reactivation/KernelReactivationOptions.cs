namespace Microsoft.ML.Reparam.Training.Reactivation;

/// <summary>Options of kernel reactivation (Lee &amp; Kim, 2022; docs/reactivation.md). Defaults are the paper's.</summary>
public sealed class KernelReactivationOptions
{
    /// <summary>Gets or sets α: a filter can be invalid only if its average kernel L1 norm is in the lowest α fraction of all filters of the model (C1).</summary>
    public double Alpha { get; set; } = 0.2;

    /// <summary>Gets or sets β: … and in the lowest β fraction of its own layer (C2).</summary>
    public double Beta { get; set; } = 0.3;

    /// <summary>Gets or sets γ₀: in an invalid filter, the lowest γ_t fraction of kernels by L1 norm are rescaled (C3), γ_t = γ₀·lr_t/lr₀.</summary>
    public double Gamma0 { get; set; } = 0.1;

    /// <summary>Gets or sets E: reactivation runs after every E-th epoch (scale it to the epoch count; none runs when E exceeds it).</summary>
    public int Interval { get; set; } = 10;

    /// <summary>Returns a copy (a trainer keeps its own).</summary>
    internal KernelReactivationOptions Copy() => (KernelReactivationOptions)MemberwiseClone();

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(Alpha), Alpha), (nameof(Beta), Beta), (nameof(Gamma0), Gamma0) })
        {
            if (!(value is >= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be a fraction in [0, 1].");
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Interval, nameof(Interval));
    }
}
