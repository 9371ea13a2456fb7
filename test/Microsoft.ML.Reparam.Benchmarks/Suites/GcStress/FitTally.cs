using System.Globalization;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>Counts the lines of <see cref="FitStress"/>'s children: outcomes per fit, a child's death during a fit, collections.</summary>
internal sealed class FitTally(int fits)
{
    public const string WrongOnnx = "wrong ONNX";

    private readonly SortedDictionary<string, int> _messages = new(StringComparer.Ordinal);
    private int _crashes;
    private int _exceptions;
    private int _wrongOnnx;
    private int _children;
    private (long Gen0, long Gen2, long Loops) _collections;
    private (long Gen0, long Gen2, long Loops) _child;

    /// <summary>Gets the index of the next fit that no child has reported.</summary>
    public int Next { get; private set; }

    public void Read(string line)
    {
        var parts = line.Split(' ', 4);
        if (parts[0] == "gc")
        {
            _child = (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
            return;
        }

        if (parts[0] != "fit")
        {
            return;
        }

        Next = int.Parse(parts[1], CultureInfo.InvariantCulture) + 1;
        if (parts[2] == "ok")
        {
            Console.WriteLine($"fit {parts[1]} ok");
            return;
        }

        var message = parts[3];
        Console.WriteLine($"fit {parts[1]} failed: {message}");
        Count(message);
        if (message == WrongOnnx)
        {
            _wrongOnnx++;
        }
        else
        {
            _exceptions++;
        }
    }

    /// <summary>Ends a child: one that died before reporting every fit fails the fit in progress.</summary>
    public void ChildEnded(int? exitCode)
    {
        _children++;
        if (Next < fits)
        {
            var message = StressChild.Crash(exitCode);
            Console.WriteLine($"fit {Next} failed: {message}");
            Count(message);
            _crashes++;
            Next++;
        }

        _collections = (_collections.Gen0 + _child.Gen0, _collections.Gen2 + _child.Gen2, _collections.Loops + _child.Loops);
        _child = default;
    }

    public GcStressFits Result(FitStressSettings settings, double minutes) => new(
        fits,
        _crashes + _exceptions + _wrongOnnx,
        _crashes,
        _exceptions,
        _wrongOnnx,
        _messages,
        settings.Epochs,
        settings.Collectors,
        settings.Gen0Size,
        settings.Seeds,
        _children,
        _collections.Gen0,
        _collections.Gen2,
        _collections.Loops,
        Math.Round(minutes, 2));

    private void Count(string message) => _messages[message] = _messages.GetValueOrDefault(message) + 1;
}
