using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Microsoft.ML.Reparam.Samples;

/// <summary>
/// The ETA column of <see cref="ConsoleProgress"/>: the trainer's own estimate (<c>TrainingProgress.Remaining</c>),
/// counted down between epochs. Spectre's <see cref="RemainingTimeColumn"/> would guess it from the bar's speed, which
/// moves only once per epoch.
/// </summary>
internal sealed class EtaColumn : ProgressColumn
{
    private Estimate? _estimate;

    /// <inheritdoc />
    protected override bool NoWrap => true;

    /// <summary>Takes the estimate reported at the end of an epoch (called on the training thread).</summary>
    public void Update(TimeSpan remaining) => Volatile.Write(ref _estimate, new Estimate(remaining, Stopwatch.GetTimestamp()));

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        if (Volatile.Read(ref _estimate) is not { } estimate)
        {
            return new Text("ETA --:--:--", new Style(Color.Grey));
        }

        var left = estimate.Remaining - Stopwatch.GetElapsedTime(estimate.At);
        return new Text($"ETA {(left > TimeSpan.Zero ? left : TimeSpan.Zero):hh\\:mm\\:ss}", new Style(Color.Blue));
    }

    private sealed record Estimate(TimeSpan Remaining, long At);
}
