// Usage: dotnet run -c Release --project tools/MLTorchSharpProbe
// Prints (1) the methods of Microsoft.ML.TorchSharp that no longer bind against this TorchSharp (every method is
// JIT-compiled), (2) what its text trainers do when fitted on tiny data.
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.TorchSharp;

var assembly = typeof(TorchSharpCatalog).Assembly;
var (methods, failed) = (0, 0);
var failures = new Dictionary<string, List<string>>();
const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
{
    foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)).Where(m => !m.IsAbstract && !m.ContainsGenericParameters))
    {
        methods++;
        try
        {
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
        catch (Exception error)
        {
            failed++;
            var key = $"{error.GetType().Name}: {error.Message.Split('\n')[0]}";
            if (!failures.TryGetValue(key, out var places))
            {
                failures[key] = places = [];
            }

            places.Add($"{type.FullName}.{method.Name}");
        }
    }
}

Console.WriteLine($"Microsoft.ML.TorchSharp {assembly.GetName().Version} against TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}: {methods} methods JIT-compiled, {failed} fail");
foreach (var (error, places) in failures.OrderByDescending(f => f.Value.Count))
{
    Console.WriteLine($"  {places.Count} x {error} in {string.Join(", ", places)}");
}

var mlContext = new MLContext(1);
var text = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new TextRow { Sentence1 = $"text number {i}", Label = i % 2 == 0 ? "a" : "b" }));
var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(text).Transform(text);
var pairs = mlContext.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new PairRow { Sentence1 = $"a {i}", Sentence2 = $"b {i}", Label = i % 3 }));
Fit("TextClassification", () => mlContext.MulticlassClassification.Trainers.TextClassification(maxEpochs: 1).Fit(keyed));
Fit("SentenceSimilarity", () => mlContext.Regression.Trainers.SentenceSimilarity(maxEpochs: 1).Fit(pairs));

static void Fit(string name, Action fit)
{
    try
    {
        fit();
        Console.WriteLine($"{name}: fitted");
    }
    catch (Exception error)
    {
        var first = error.Message.Split('\n')[0];
        Console.WriteLine($"{name}: {error.GetType().Name}: {first[..Math.Min(200, first.Length)]}");
    }
}

internal sealed class TextRow
{
    public string Sentence1 { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

internal sealed class PairRow
{
    public string Sentence1 { get; set; } = string.Empty;

    public string Sentence2 { get; set; } = string.Empty;

    public float Label { get; set; }
}
