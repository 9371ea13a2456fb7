using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Reparam.Tasks.Classification;

/// <summary>
/// ML.NET's own multiclass scorer over the network's logits: a maximum-entropy model with identity weights and zero
/// bias, so <c>Score</c> = softmax(logits) and <c>PredictedLabel</c> is a scalar key with the label's key values —
/// exactly what ML.NET's built-in trainers produce, and what <c>Evaluate</c> and prediction engines expect. ML.NET
/// keeps the constructors internal, so they are reached by reflection; the types themselves are stock, which is what
/// lets a saved model load without this library.
/// </summary>
internal static class StockMulticlassHead
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    public static ITransformer Create(IHostEnvironment environment, DataViewSchema trainSchema, string logitsColumn, ReparamConvTrainerOptions options, int classes)
    {
        var weights = new VBuffer<float>[classes];
        for (var c = 0; c < classes; c++)
        {
            weights[c] = new VBuffer<float>(classes, 1, [1f], [c]);
        }

        var model = Construct<MaximumEntropyModelParameters>(environment, weights, new float[classes], classes, classes, null, null);
        return Construct<MulticlassPredictionTransformer<MaximumEntropyModelParameters>>(
            environment, model, trainSchema, logitsColumn, options.LabelColumnName, options.ScoreColumnName, options.PredictedLabelColumnName);
    }

    private static T Construct<T>(params object?[] arguments)
    {
        var types = arguments.Select(a => a?.GetType()).ToArray();
        var constructor = typeof(T).GetConstructors(Instance).SingleOrDefault(c => Matches(c.GetParameters(), types))
            ?? throw new NotSupportedException($"This version of ML.NET has no {typeof(T).Name} constructor taking ({string.Join(", ", types.Select(t => t?.Name ?? "null"))}); Microsoft.ML.Reparam supports ML.NET 5.");
        return (T)constructor.Invoke(arguments);
    }

    private static bool Matches(ParameterInfo[] parameters, Type?[] types) =>
        parameters.Length == types.Length
        && parameters.Zip(types).All(pair => pair.Second is null
            ? !pair.First.ParameterType.IsValueType
            : pair.First.ParameterType.IsAssignableFrom(pair.Second) || (pair.First.ParameterType.IsByRef && pair.First.ParameterType.GetElementType()!.IsAssignableFrom(pair.Second)));
}
