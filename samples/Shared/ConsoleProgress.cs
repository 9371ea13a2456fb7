using Microsoft.ML.Reparam.Training;
using Spectre.Console;

namespace Microsoft.ML.Reparam.Samples;

/// <summary>
/// Shows training progress. On an interactive terminal: a live Spectre.Console progress bar (epoch n/N, loss, the
/// validation metric or else the training one, images/s, ETA), the epochs' messages above it, and a summary line when
/// disposed. When the output is redirected (a log, CI) or the terminal is not interactive: the plain progress line.
/// </summary>
/// <remarks>
/// Dispose it right after the fit; while the bar is live, write to the console only through <see cref="AnsiConsole"/>.
/// </remarks>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>, IDisposable
{
    private readonly TaskCompletionSource _fitDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EtaColumn _eta = new();
    private readonly Task? _display;
    private readonly ProgressTask? _bar;
    private TrainingProgress? _last;
    private bool _disposed;

    /// <summary>Starts the live display when the console is an interactive terminal.</summary>
    public ConsoleProgress()
    {
        var capabilities = AnsiConsole.Profile.Capabilities;
        if (Console.IsOutputRedirected || !capabilities.Interactive || !capabilities.Ansi)
        {
            return;
        }

        var created = new TaskCompletionSource<ProgressTask>(TaskCreationOptions.RunContinuationsAsynchronously);
        _display = Task.Run(() => AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 30 }, _eta)
            .StartAsync(async context =>
            {
                var bar = context.AddTask("waiting for the first epoch");
                bar.IsIndeterminate = true;
                created.SetResult(bar);
                await _fitDone.Task;
            }));
        if (Task.WaitAny(created.Task, _display) == 1)
        {
            _display.GetAwaiter().GetResult(); // the display failed to start: its exception
        }

        _bar = created.Task.Result;
        Console.CancelKeyPress += ShowCursor;
    }

    /// <summary>Shows one epoch: updates the live bar (and prints the epoch's message above it), or writes the plain line.</summary>
    public void Report(TrainingProgress value)
    {
        if (_bar is null)
        {
            Console.WriteLine(value);
            return;
        }

        _last = value;
        if (value.Message is { } message)
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]epoch {value.Epoch}: {message}[/]");
        }

        _eta.Update(value.Remaining);
        _bar.IsIndeterminate = false;
        _bar.MaxValue = value.Epochs;
        _bar.Value = value.Epoch;
        _bar.Description = $"epoch {value.Epoch}/{value.Epochs}  loss {value.TrainLoss:F4}  {Markup.Escape(Metric(value))}  {value.ImagesPerSecond:F0} img/s";
    }

    /// <summary>Ends the live display and prints a summary of the last epoch reported; nothing when output is plain.</summary>
    public void Dispose()
    {
        if (_display is null || _disposed)
        {
            return;
        }

        _disposed = true;
        _fitDone.SetResult();
        _display.GetAwaiter().GetResult();
        Console.CancelKeyPress -= ShowCursor;
        if (_last is { } last)
        {
            var outcome = last.Epoch == last.Epochs ? $"[green]trained {last.Epochs} epoch{(last.Epochs == 1 ? "" : "s")}[/]" : $"[yellow]stopped after epoch {last.Epoch}/{last.Epochs}[/]";
            AnsiConsole.MarkupLine($"{outcome} in {last.Elapsed:hh\\:mm\\:ss}: loss {last.TrainLoss:F4}, {Markup.Escape(Metric(last))}, {last.ImagesPerSecond:F0} img/s");
        }
    }

    private static string Metric(TrainingProgress value) =>
        value.ValidationMetric is { } v ? $"val {value.MetricName} {v:G4}" : $"train {value.MetricName} {value.TrainMetric:G4}";

    // The live display hides the cursor; Ctrl+C ends the process without giving it back.
    private static void ShowCursor(object? sender, ConsoleCancelEventArgs e) => Console.Out.Write("\e[?25h\n");
}
