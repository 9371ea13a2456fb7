using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>
/// Runs a study's planned runs one by one, each written to its own JSON file under
/// <c>OUT/SUITE.runs/</c> as soon as it finishes; a rerun skips the runs whose file exists, so an
/// interrupted study resumes where it stopped. The settings the runs depend on (epochs, patches, ...) are kept in
/// <c>_settings.json</c> beside them; an invocation with other settings is refused, so runs measured under different
/// settings never mix in one table.
/// </summary>
internal sealed class ResumableStudy
{
    private const string SettingsFile = "_settings.json";

    private readonly string _runsDirectory;

    /// <summary>Gets how many runs this process read from files that an earlier invocation wrote, and how many it measured.</summary>
    public static (int Read, int Measured) Counts { get; private set; }

    /// <param name="arguments">The invocation's arguments (output folder, suite, quick).</param>
    /// <param name="settings">Every setting a run's result depends on that is not in its key, e.g. <c>new { epochs }</c>.</param>
    public ResumableStudy(BenchmarkArguments arguments, object settings)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(settings);
        _runsDirectory = arguments.OutputStem + ".runs";
        Directory.CreateDirectory(_runsDirectory);
        CheckSettings(JsonSerializer.SerializeToNode(settings, BenchmarkRunner.JsonOptions)!);
    }

    /// <summary>Returns the result of every planned run, running those not yet on disk.</summary>
    /// <param name="plan">Run keys (unique, file-name safe) with the function that performs each run.</param>
    /// <returns>The runs' JSON objects in plan order.</returns>
    public IReadOnlyList<JsonObject> RunAll(IEnumerable<(string Key, Func<object> Run)> plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = new List<JsonObject>();
        foreach (var (key, run) in plan)
        {
            var path = Path.Combine(_runsDirectory, key + ".json");
            if (File.Exists(path))
            {
                Console.WriteLine($"{key}: already measured ({path})");
                Counts = (Counts.Read + 1, Counts.Measured);
            }
            else
            {
                var result = JsonSerializer.Serialize(run(), BenchmarkRunner.JsonOptions);
                File.WriteAllText(path + ".tmp", result);
                File.Move(path + ".tmp", path, overwrite: true);
                Console.WriteLine($"{key}: {result.ReplaceLineEndings(" ")}");
                Counts = (Counts.Read, Counts.Measured + 1);
            }

            results.Add(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
        }

        return results;
    }

    /// <summary>Records the settings in a new folder; refuses a folder whose runs were measured with other (or unknown) settings.</summary>
    private void CheckSettings(JsonNode settings)
    {
        var path = Path.Combine(_runsDirectory, SettingsFile);
        if (File.Exists(path))
        {
            var recorded = JsonNode.Parse(File.ReadAllText(path));
            if (!JsonNode.DeepEquals(recorded, settings))
            {
                throw new InvalidOperationException($"{path}: the runs in this folder were measured with {recorded?.ToJsonString()}, this invocation asks for {settings.ToJsonString()}; rerun with those settings, or move the folder away to start afresh.");
            }

            return;
        }

        if (Directory.EnumerateFiles(_runsDirectory, "*.json").Any())
        {
            throw new InvalidOperationException($"{_runsDirectory}: holds runs but no {SettingsFile}, so the settings they were measured with are unknown; move the folder away to start afresh.");
        }

        File.WriteAllText(path, settings.ToJsonString(BenchmarkRunner.JsonOptions));
    }
}
