using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Samples.QuickStart;

/// <summary>Milliseconds per image at batch 1: the trained network in TorchSharp (eval) and the folded ONNX model.</summary>
internal static class Latency
{
    private const int Warmup = 20;

    public static double UnfoldedTorchMs(nn.Module<Tensor, Tensor> model, ImageTensorDataset images, float[] mean, float[] std, int count)
    {
        model.eval();
        var source = new BatchSource(images, mean, std);
        using var noGrad = no_grad();
        return Measure(count, i =>
        {
            using var scope = NewDisposeScope();
            var (batch, _) = source.Batch([i % images.Count]);
            model.forward(batch).data<float>().ToArray();
        });
    }

    public static double FoldedOnnxMs(byte[] onnx, ImageTensorDataset images, int count)
    {
        using var session = new InferenceSession(onnx);
        var input = session.InputMetadata.Keys.Single();
        int[] shape = [1, images.Channels, images.Height, images.Width];
        return Measure(count, i =>
        {
            var pixels = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(images.Pixels.AsMemory((i % images.Count) * images.ImageSize, images.ImageSize), shape);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, pixels)]);
        });
    }

    private static double Measure(int count, Action<int> run)
    {
        for (var i = 0; i < Warmup; i++)
        {
            run(i);
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            run(i);
        }

        return watch.Elapsed.TotalMilliseconds / count;
    }
}
