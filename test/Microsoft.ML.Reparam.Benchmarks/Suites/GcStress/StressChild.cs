using System.Diagnostics;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// Runs the benchmark executable again with a child command and extra environment variables (the garbage collector's
/// settings), so that a native crash ends only the child; hands every line it prints to a callback.
/// </summary>
internal static class StressChild
{
    /// <summary>Runs the child to its end; returns its exit code, or null when it printed nothing for <paramref name="silence"/> (it is then killed).</summary>
    public static int? Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, Action<string> onLine, TimeSpan silence)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(StressChild).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
        _ = process.StandardError.ReadToEndAsync();
        while (true)
        {
            var next = process.StandardOutput.ReadLineAsync();
            if (!next.Wait(silence))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return null;
            }

            if (next.Result is not { } line)
            {
                break;
            }

            onLine(line);
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>The environment that sets the gen-0 budget (<c>DOTNET_GCgen0size</c>, hexadecimal bytes), or none for "default".</summary>
    public static IReadOnlyDictionary<string, string> Gen0Environment(string gen0size) =>
        gen0size == "default" ? new Dictionary<string, string>() : new Dictionary<string, string> { ["DOTNET_GCgen0size"] = gen0size };

    /// <summary>Names a failure by its innermost exception: "Type: first line of its message".</summary>
    public static string Describe(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        var message = exception.Message.Split('\n', 2)[0].Trim();
        return $"{exception.GetType().Name}: {message}";
    }

    /// <summary>Names a child that died: its exit code, with the signal for codes above 128.</summary>
    public static string Crash(int? exitCode) => exitCode switch
    {
        null => "hang: no output, killed",
        > 128 => $"crash: exit code {exitCode} (signal {exitCode - 128})",
        _ => $"crash: exit code {exitCode}",
    };
}
