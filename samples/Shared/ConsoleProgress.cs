using Microsoft.ML.Reparam.Training;
using Spectre.Console;

namespace Microsoft.ML.Reparam.Samples;

/// <summary>
/// Shows training progress: on a terminal, a Spectre.Console bar per epoch with loss, the validation metric, images/s
/// and ETA; when the output is redirected (a log, CI), the plain progress line.
/// </summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly bool _terminal = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;

    public void Report(TrainingProgress value)
    {
        if (!_terminal)
        {
            Console.WriteLine(value);
            return;
        }

        const int width = 30;
        var done = (int)Math.Round(width * value.Epoch / (double)value.Epochs);
        var metric = value.ValidationMetric is { } v ? $"val {value.MetricName} {v:G4}" : $"train {value.MetricName} {value.TrainMetric:G4}";
        AnsiConsole.MarkupLineInterpolated($"[green]{new string('━', done)}[/][grey]{new string('━', width - done)}[/] epoch {value.Epoch}/{value.Epochs}  loss {value.TrainLoss:F4}  {metric}  {value.ImagesPerSecond:F0} img/s  ETA {value.Remaining:hh\\:mm\\:ss}");
        if (value.Message is { } message)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]{message}[/]");
        }
    }
}
