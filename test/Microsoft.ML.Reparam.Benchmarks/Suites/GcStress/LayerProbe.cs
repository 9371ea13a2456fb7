namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// One layer-level probe of <c>gc-stress</c>: calls of a subject made while collector threads run. Every
/// <paramref name="Window"/> calls start from a new subject, made without pressure, whose <see cref="IProbeSubject.State"/>
/// after the window must equal that of a subject that made the same calls without pressure.
/// </summary>
/// <param name="Name">The name in the results.</param>
/// <param name="Create">Makes a subject in its initial state; two subjects made by it and called alike must end alike.</param>
/// <param name="Window">Calls per subject, and so per state check.</param>
/// <param name="Cost">How many tensor-sized calls one call weighs: the probe makes the suite's call count divided by it (an image probe reads 32 images per call).</param>
internal sealed record LayerProbe(string Name, Func<IProbeSubject> Create, int Window = 1_000, int Cost = 1);

/// <summary>What a <see cref="LayerProbe"/> calls.</summary>
internal interface IProbeSubject : IDisposable
{
    /// <summary>Makes one call; returns false when the call's own result is wrong (subjects without one return true).</summary>
    bool Call();

    /// <summary>Returns the numbers that the calls so far determine (running statistics, parameters); empty when there are none.</summary>
    double[] State();
}

/// <summary>A probe's figures: calls made under pressure, calls that threw, wrong results, child processes that died, seconds under pressure.</summary>
internal sealed record ProbeResult(string Name, int Window, long Calls, long Exceptions, long WrongResults, int Crashes, double Seconds, string? FirstError);
