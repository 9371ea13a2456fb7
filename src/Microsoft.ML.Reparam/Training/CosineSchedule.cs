namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// Learning rate per optimizer step: linear warm-up from 0 to the peak over <c>warmupSteps</c>, then cosine
/// decay to 0 over the remaining steps (docs/training.md, eq. 1):
/// <c>lr(t) = peak·(t+1)/w</c> for <c>t &lt; w</c>, else <c>peak·½(1 + cos(π(t − w)/(T − w)))</c>.
/// </summary>
internal sealed class CosineSchedule
{
    /// <summary>Initializes a new instance of the <see cref="CosineSchedule"/> class.</summary>
    /// <param name="peakLearningRate">The peak learning rate.</param>
    /// <param name="totalSteps">Total optimizer steps T.</param>
    /// <param name="warmupSteps">Warm-up steps w, at most T.</param>
    public CosineSchedule(double peakLearningRate, int totalSteps, int warmupSteps)
    {
        if (!double.IsFinite(peakLearningRate) || peakLearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "The learning rate must be a positive finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(warmupSteps, totalSteps);
        PeakLearningRate = peakLearningRate;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
    }

    /// <summary>Gets the peak learning rate.</summary>
    public double PeakLearningRate { get; }

    /// <summary>Gets the total number of steps T.</summary>
    public int TotalSteps { get; }

    /// <summary>Gets the number of warm-up steps w.</summary>
    public int WarmupSteps { get; }

    /// <summary>Returns the learning rate of the 0-based step <paramref name="step"/>.</summary>
    /// <param name="step">The step, 0 ≤ step &lt; T (later steps get 0).</param>
    /// <returns>The learning rate.</returns>
    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return PeakLearningRate * (step + 1) / WarmupSteps;
        }

        var decaySteps = TotalSteps - WarmupSteps;
        if (decaySteps <= 0 || step >= TotalSteps)
        {
            return step >= TotalSteps ? 0 : PeakLearningRate;
        }

        return PeakLearningRate * 0.5 * (1 + Math.Cos(Math.PI * (step - WarmupSteps) / decaySteps));
    }
}
