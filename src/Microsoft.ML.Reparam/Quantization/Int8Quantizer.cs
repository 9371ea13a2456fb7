using Microsoft.ML.Reparam.Onnx.Proto;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>Post-training static quantization of a float ONNX model (docs/quantization.md): plan, calibrate, rewrite.</summary>
internal static class Int8Quantizer
{
    /// <summary>Returns the QDQ INT8 model of <paramref name="floatModel"/>, its activation ranges calibrated on <paramref name="batches"/>.</summary>
    public static byte[] Quantize(byte[] floatModel, IEnumerable<(float[] Data, long[] Shape)> batches, QuantizationOptions options) =>
        QdqWriter.Write(floatModel, Calibrate(floatModel, batches, options), options.ReduceRange);

    /// <summary>Returns the range of every activation the plan quantizes, by the model's value names.</summary>
    public static Dictionary<string, (float Low, float High)> Calibrate(byte[] floatModel, IEnumerable<(float[] Data, long[] Shape)> batches, QuantizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(floatModel);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var graph = ModelProto.Parser.ParseFrom(floatModel).Graph;
        var ranges = OnnxCalibrator.Ranges(floatModel, QdqPlan.Activations(graph), batches, options);
        foreach (var pool in graph.Node.Where(n => n.OpType == "MaxPool" && ranges.ContainsKey(n.Input[0]) && ranges.ContainsKey(n.Output[0])))
        {
            ranges[pool.Output[0]] = ranges[pool.Input[0]]; // a maximum stays in its input's range; equal scales let ONNX Runtime run it on 8 bits
        }

        return ranges;
    }

    /// <summary>
    /// Carries the ranges calibrated on one export of a graph to another export of the same graph (the scoring model
    /// ML.NET runs: another input name, a fixed size, a head of its own): the two emit the same nodes in the same order
    /// up to where the second adds its head, so values correspond by position. Values after that point get no range and
    /// stay float.
    /// </summary>
    public static Dictionary<string, (float Low, float High)> Transfer(IReadOnlyDictionary<string, (float Low, float High)> ranges, byte[] calibratedModel, byte[] otherModel)
    {
        var (from, to) = (ModelProto.Parser.ParseFrom(calibratedModel).Graph, ModelProto.Parser.ParseFrom(otherModel).Graph);
        var names = new Dictionary<string, string> { [from.Input[0].Name] = to.Input[0].Name };
        for (var i = 0; i < Math.Min(from.Node.Count, to.Node.Count) && from.Node[i].OpType == to.Node[i].OpType && from.Node[i].Output.Count == to.Node[i].Output.Count; i++)
        {
            for (var o = 0; o < from.Node[i].Output.Count; o++)
            {
                names[from.Node[i].Output[o]] = to.Node[i].Output[o];
            }
        }

        return ranges.Where(pair => names.ContainsKey(pair.Key)).ToDictionary(pair => names[pair.Key], pair => pair.Value);
    }
}
