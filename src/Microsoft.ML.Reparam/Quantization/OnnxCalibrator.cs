using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Reparam.Onnx.Proto;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// Records the values every planned activation of a float ONNX model takes on the calibration images, by running the
/// model in ONNX Runtime with those activations as extra outputs — what the deployed model computes, whatever
/// produced it.
/// </summary>
internal static class OnnxCalibrator
{
    /// <summary>Runs <paramref name="batches"/> through the model (twice for a percentile) and returns each activation's range.</summary>
    /// <param name="floatModel">The float ONNX model (one input).</param>
    /// <param name="activations">The activations to observe (graph input, node outputs).</param>
    /// <param name="batches">Calibration inputs, [N, C, H, W] row-major with their shape; enumerated once per pass.</param>
    /// <param name="options">The calibration method.</param>
    /// <returns>The range of each activation.</returns>
    public static Dictionary<string, (float Low, float High)> Ranges(byte[] floatModel, IReadOnlyList<string> activations, IEnumerable<(float[] Data, long[] Shape)> batches, QuantizationOptions options)
    {
        var statistics = activations.ToDictionary(name => name, _ => new ActivationStatistics());
        var model = ModelProto.Parser.ParseFrom(floatModel);
        var inputName = model.Graph.Input[0].Name;
        var declared = model.Graph.Output.Select(o => o.Name).ToHashSet();
        foreach (var name in activations.Where(a => a != inputName && !declared.Contains(a)))
        {
            model.Graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } }); // no shape: any rank
        }

        var observed = activations.Where(a => a != inputName).ToArray();
        using var session = new InferenceSession(model.ToByteArray());
        Pass(session, inputName, observed, batches, statistics, (stats, values, name) => stats.AddRange(values, name));
        if (options.Method == CalibrationMethod.Percentile)
        {
            Pass(session, inputName, observed, batches, statistics, (stats, values, _) => stats.AddHistogram(values));
        }

        return statistics.ToDictionary(pair => pair.Key, pair => pair.Value.Range(options.Method, options.Percentile));
    }

    private delegate void Observe(ActivationStatistics statistics, ReadOnlySpan<float> values, string name);

    private static void Pass(InferenceSession session, string inputName, string[] observed, IEnumerable<(float[] Data, long[] Shape)> batches, Dictionary<string, ActivationStatistics> statistics, Observe observe)
    {
        using var runOptions = new RunOptions();
        foreach (var (data, shape) in batches)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
            if (statistics.TryGetValue(inputName, out var inputStatistics))
            {
                observe(inputStatistics, data, inputName);
            }

            if (observed.Length == 0)
            {
                continue;
            }

            using var outputs = session.Run(runOptions, [inputName], [input], observed);
            for (var i = 0; i < observed.Length; i++)
            {
                observe(statistics[observed[i]], outputs[i].GetTensorDataAsSpan<float>(), observed[i]);
            }
        }
    }
}
