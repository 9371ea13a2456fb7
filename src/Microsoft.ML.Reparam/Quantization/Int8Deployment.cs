using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// The fit's INT8 stage, after the float fold is checked: activation ranges are calibrated on seeded training images
/// through the portable model, both exported models are quantized with them (the scoring model's own head for ML.NET
/// stays float), and the INT8 network's metric is measured beside the float network's on the held-back images
/// (docs/quantization.md).
/// </summary>
internal static class Int8Deployment
{
    private const int MaxBatch = 32;
    private const int MaxBatchPixels = 32 * 64 * 64;

    /// <summary>Returns the INT8 scoring and portable models and what was measured.</summary>
    public static (byte[] Scoring, byte[] Portable, QuantizationReport Report) Run(
        (byte[] Onnx, PlainGraph Graph) scoring, (byte[] Onnx, PlainGraph Graph) portable, ImageTensorDataset data, int[] trainRows, ImageTensorDataset check, ITrainingObjective objective, QuantizationOptions options, int seed)
    {
        var rows = (int[])trainRows.Clone();
        new Random(seed + 29).Shuffle(rows);
        rows = rows[..Math.Min(options.CalibrationImages, rows.Length)];
        var ranges = Int8Quantizer.Calibrate(portable.Onnx, Batches(data, rows, objective, seed), options);
        var int8Portable = QdqWriter.Write(portable.Onnx, ranges, options.ReduceRange);
        var int8Scoring = QdqWriter.Write(scoring.Onnx, Int8Quantizer.Transfer(ranges, portable.Onnx, scoring.Onnx), options.ReduceRange);

        var source = new BatchSource(check, [], []);
        using var floatNetwork = new PlainGraphModule(portable.Graph);
        using var int8Network = new OnnxModule(int8Portable);
        using var int8Reference = new OnnxModule(int8Portable, optimize: false);
        var floatMetric = ModelEvaluation.Metric(floatNetwork, source, objective);
        var int8Metric = ModelEvaluation.Metric(int8Network, source, objective);
        var difference = MaxAbsDifference(floatNetwork, int8Network, source, objective, seed);
        var kernelError = MaxAbsDifference(int8Reference, int8Network, source, objective, seed);
        var report = new QuantizationReport(options.Method, rows.Length, options.ReduceRange, objective.MetricName, floatMetric, int8Metric, check.Count, difference, kernelError, IntegerKernels.Count(int8Portable));
        return (int8Scoring, int8Portable, report);
    }

    /// <summary>
    /// The network's inputs for <paramref name="rows"/> — raw pixels as the objective prepares them (a denoiser's noise
    /// included, seeded) — in batches of at most 32 images and 131,072 pixels (every activation of a batch is held at once).
    /// </summary>
    private static IEnumerable<(float[] Data, long[] Shape)> Batches(ImageTensorDataset data, int[] rows, ITrainingObjective objective, int seed)
    {
        var batchSize = Math.Clamp(MaxBatchPixels / (data.Height * data.Width), 1, MaxBatch);
        var source = new BatchSource(data, rows, [], []);
        var indices = Enumerable.Range(0, rows.Length).ToArray();
        using var generator = new Generator((ulong)seed + 31);
        for (var start = 0; start < rows.Length; start += batchSize)
        {
            float[] values;
            long[] shape;
            using (var scope = NewDisposeScope())
            {
                var (images, targets) = source.Batch(indices.AsSpan(start, Math.Min(batchSize, rows.Length - start)));
                var (input, _) = objective.Prepare(images, targets, generator);
                (values, shape) = (input.contiguous().data<float>().ToArray(), input.shape);
            }

            yield return (values, shape);
        }
    }

    private static double MaxAbsDifference(nn.Module<Tensor, Tensor> first, nn.Module<Tensor, Tensor> second, BatchSource source, ITrainingObjective objective, int seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed + 37);
        var (images, targets) = source.Batch([.. Enumerable.Range(0, source.Count)]);
        var (input, _) = objective.Prepare(images, targets, generator);
        return (first.forward(input) - second.forward(input)).abs().max().item<float>();
    }
}
