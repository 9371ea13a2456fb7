using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Quantization;

/// <summary>
/// The fit's INT8 stage, after the float fold is checked: both exported models are quantized with activation ranges
/// calibrated on seeded training images, and the INT8 network's metric is measured beside the float network's on the
/// held-back images (docs/quantization.md).
/// </summary>
internal static class Int8Deployment
{
    private const int CalibrationBatch = 32;

    /// <summary>Returns the INT8 scoring and portable models and what was measured.</summary>
    public static (byte[] Scoring, byte[] Portable, QuantizationReport Report) Run(
        (byte[] Onnx, PlainGraph Graph) scoring, (byte[] Onnx, PlainGraph Graph) portable, ImageTensorDataset data, int[] trainRows, ImageTensorDataset check, ITrainingObjective objective, QuantizationOptions options, int seed)
    {
        var rows = (int[])trainRows.Clone();
        new Random(seed + 29).Shuffle(rows);
        rows = rows[..Math.Min(options.CalibrationImages, rows.Length)];
        var scoringSize = (scoring.Graph.InputShape.Height, scoring.Graph.InputShape.Width);
        var int8Scoring = Int8Quantizer.Quantize(scoring.Onnx, Batches(data, rows, objective, seed, 1, scoringSize), options);
        var int8Portable = Int8Quantizer.Quantize(portable.Onnx, Batches(data, rows, objective, seed, CalibrationBatch, null), options);

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
    /// included, seeded) — in batches, nearest-neighbour resampled to <paramref name="size"/> when the model fixes another.
    /// </summary>
    private static IEnumerable<(float[] Data, long[] Shape)> Batches(ImageTensorDataset data, int[] rows, ITrainingObjective objective, int seed, int batchSize, (int Height, int Width)? size)
    {
        var source = new BatchSource(data, rows, [], []);
        var indices = Enumerable.Range(0, rows.Length).ToArray();
        using var generator = new Generator((ulong)seed + 31);
        for (var start = 0; start < rows.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var (images, targets) = source.Batch(indices.AsSpan(start, Math.Min(batchSize, rows.Length - start)));
            var (input, _) = objective.Prepare(images, targets, generator);
            var sized = size is { } fixedSize && fixedSize != (data.Height, data.Width) ? FoldCheck.Resampled(input, fixedSize.Height, fixedSize.Width) : input;
            yield return (sized.contiguous().data<float>().ToArray(), sized.shape);
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
