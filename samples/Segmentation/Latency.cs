using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Reparam.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Samples.Segmentation;

/// <summary>Mean latency per image, batch 1, after a warm-up: the trained network in TorchSharp vs the folded one in ONNX Runtime.</summary>
internal static class Latency
{
    private const int Warmup = 3;

    public static double UnfoldedTorchMs(nn.Module<Tensor, Tensor> network, SegmentationImages images, ReparamSegmentationOptions options)
    {
        network.eval();
        return Measure(images, pixels =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = (tensor(pixels, [1, 1, images.Height, images.Width]) - options.InputMean[0]) / options.InputStd[0];
            network.forward(input);
        });
    }

    public static double FoldedOnnxMs(byte[] onnx, SegmentationImages images)
    {
        using var session = new InferenceSession(onnx);
        var input = session.InputMetadata.Keys.Single();
        return Measure(images, pixels =>
        {
            var tensor = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(pixels, [1, 1, images.Height, images.Width]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
        });
    }

    private static double Measure(SegmentationImages images, Action<float[]> run)
    {
        var size = images.Height * images.Width;
        var count = Math.Max(images.Count, 10);
        float[] Pixels(int i) => [.. images.Images.AsSpan((i % images.Count) * size, size).ToArray().Select(v => v / 255f)];
        for (var i = 0; i < Warmup; i++)
        {
            run(Pixels(i));
        }

        var inputs = Enumerable.Range(0, count).Select(Pixels).ToList();
        var watch = Stopwatch.StartNew();
        inputs.ForEach(run);
        return watch.Elapsed.TotalMilliseconds / count;
    }
}
