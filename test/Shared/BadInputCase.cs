namespace Microsoft.ML.Reparam.Robustness;

/// <summary>One bad input: what is tried, the exception it must give and the text its message must hold (the column, row, value or file it names).</summary>
/// <param name="Task">The task it is tried on.</param>
/// <param name="Input">What is wrong with the input.</param>
/// <param name="Expected">The exception type it must throw.</param>
/// <param name="Names">Text the message must contain.</param>
/// <param name="Run">Tries it.</param>
internal sealed record BadInputCase(string Task, string Input, Type Expected, string Names, Action<string> Run)
{
    public override string ToString() => $"{Task}: {Input}";

    /// <summary>Tries the case in a fresh folder (passed to <see cref="Run"/>), with a time limit.</summary>
    public BadInputOutcome Try(TimeSpan limit)
    {
        var folder = Directory.CreateTempSubdirectory("reparam-bad-input-").FullName;
        try
        {
            var attempt = System.Threading.Tasks.Task.Run(() => Run(folder));
            if (!attempt.Wait(limit))
            {
                return new BadInputOutcome(this, BadInputResult.Hang, $"no answer within {limit.TotalSeconds:F0} s");
            }

            return new BadInputOutcome(this, BadInputResult.Accepted, "no exception");
        }
        catch (AggregateException wrapped) when (wrapped.InnerException is { } error)
        {
            var clear = error.GetType() == Expected && error.Message.Contains(Names, StringComparison.Ordinal);
            var internalFailure = error is NullReferenceException or IndexOutOfRangeException or AccessViolationException or System.Runtime.InteropServices.ExternalException or InvalidCastException;
            return new BadInputOutcome(this, clear ? BadInputResult.Clear : internalFailure ? BadInputResult.Crash : BadInputResult.Unclear, $"{error.GetType().Name}: {error.Message}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>How a bad input was answered.</summary>
internal enum BadInputResult
{
    /// <summary>The expected exception, naming what is wrong.</summary>
    Clear,

    /// <summary>Another managed exception, or a message that does not name the problem.</summary>
    Unclear,

    /// <summary>An internal failure (null reference, index, native error): a crash caught in time.</summary>
    Crash,

    /// <summary>No answer within the time limit.</summary>
    Hang,

    /// <summary>No exception at all.</summary>
    Accepted,
}

/// <summary>A case and how it was answered.</summary>
internal sealed record BadInputOutcome(BadInputCase Case, BadInputResult Result, string Detail);
