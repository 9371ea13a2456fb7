using System.Collections;
using System.Globalization;
using System.Reflection;

namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>
/// Describes a fit for its checkpoint: the task and every public option that shapes training, as invariant text. Options
/// that do not change the trained weights (progress, cancellation, device, fold-check tolerance, the checkpoint folder
/// itself, quantization after training) are left out, so a resumed fit may change them.
/// </summary>
internal static class RunFingerprint
{
    private static readonly HashSet<string> _ignored =
    [
        nameof(ReparamTrainerOptions.Progress),
        nameof(ReparamTrainerOptions.CancellationToken),
        nameof(ReparamTrainerOptions.CheckpointDirectory),
        nameof(ReparamTrainerOptions.RetainTrainedNetwork),
        nameof(ReparamTrainerOptions.FoldTolerance),
        nameof(ReparamTrainerOptions.GpuDeviceId),
        nameof(ReparamTrainerOptions.FallbackToCpu),
        nameof(ReparamTrainerOptions.Quantization),
    ];

    public static IReadOnlyDictionary<string, string> Of(string task, object options)
    {
        var run = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["Task"] = task };
        foreach (var property in options.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanRead && !_ignored.Contains(p.Name)))
        {
            Add(run, property.Name, property.GetValue(options));
        }

        return run;
    }

    private static void Add(SortedDictionary<string, string> run, string name, object? value)
    {
        switch (value)
        {
            case null:
                run[name] = "none";
                break;
            case string or Enum or bool or IFormattable:
                run[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                break;
            case IEnumerable values:
                run[name] = $"[{string.Join(", ", values.Cast<object>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))}]";
                break;
            default:
                foreach (var property in value.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public).Where(p => p.CanRead))
                {
                    Add(run, $"{name}.{property.Name}", property.GetValue(value));
                }

                break;
        }
    }
}
