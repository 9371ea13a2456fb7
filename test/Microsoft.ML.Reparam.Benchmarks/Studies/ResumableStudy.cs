using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>
/// Runs a study's planned runs one by one, each written to its own JSON file under
/// <c>OUT/SUITE.runs/</c> as soon as it finishes; a rerun skips the runs whose file exists, so an
/// interrupted study resumes where it stopped.
/// </summary>
internal sealed class ResumableStudy
{
    private readonly string _runsDirectory;

    /// <summary>Gets how many runs this process read from files that an earlier invocation wrote, and how many it measured.</summary>
    public static (int Read, int Measured) Counts { get; private set; }

    public ResumableStudy(BenchmarkArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        _runsDirectory = Path.Combine(arguments.OutputDirectory, arguments.Suite + (arguments.Quick ? ".quick" : string.Empty) + ".runs");
        Directory.CreateDirectory(_runsDirectory);
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
}
