using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam;

/// <summary>The fit's own check of its deployed model: fold error and ONNX export error on held-back images.</summary>
internal static class FoldCheck
{
    /// <summary>
    /// Compares the trained network (on normalized pixels) with the folded graph's first output (on raw pixels: the
    /// graph normalizes itself), and, image by image, every output that is not discrete (an arg-max is compared through
    /// the scores it comes from) of each exported ONNX model with the graph it was exported from. A model of a fixed
    /// size other than the images' is run on the images resampled to its size (nearest neighbour).
    /// </summary>
    public static FoldReport Measure(nn.Module<Tensor, Tensor> trained, PlainGraph graph, IReadOnlyList<(byte[] Onnx, PlainGraph Graph)> exports, ImageTensorDataset images, ReparamTrainerOptions options)
    {
        using var scope = NewDisposeScope();
        using var folded = new PlainGraphModule(graph);
        var indices = Enumerable.Range(0, images.Count).ToArray();
        var (normalized, _) = new BatchSource(images, options.InputMean, options.InputStd).Batch(indices);
        var (raw, _) = new BatchSource(images, [], []).Batch(indices);
        trained.eval();
        using var noGrad = no_grad();
        var fold = FoldVerifier.Compare(trained.forward(normalized), folded.Run(raw)[0]);

        var (onnxError, onnxScaledError) = (0.0, 0.0);
        foreach (var (onnx, exported) in exports)
        {
            using var module = new PlainGraphModule(exported);
            var (height, width) = (exported.InputShape.Height, exported.InputShape.Width);
            var inputs = exported.FixesSize || (height, width) == (images.Height, images.Width) ? raw : Resampled(raw, height, width);
            var expected = module.Run(inputs);
            var compared = Enumerable.Range(0, exported.Outputs.Count).Where(o => !exported.Producer(exported.Outputs[o]).IsDiscrete).ToArray();
            using var runner = new OnnxModelRunner(onnx);
            for (var i = 0; i < images.Count; i++)
            {
                var image = inputs[i..(i + 1)];
                var outputs = runner.RunOutputs(image.data<float>().ToArray(), [.. image.shape.Select(d => (int)d)], compared);
                for (var k = 0; k < compared.Length; k++)
                {
                    var wanted = expected[compared[k]][i..(i + 1)];
                    var error = FoldVerifier.Compare(wanted, tensor(outputs[k]).reshape(wanted.shape)).MaxAbsolute;
                    onnxError = Math.Max(onnxError, error);
                    onnxScaledError = Math.Max(onnxScaledError, error / Math.Max(1, wanted.abs().max().item<float>()));
                }
            }
        }

        return new FoldReport(fold, onnxError, images.Count) { OnnxMaxScaledError = onnxScaledError };
    }

    public static void ThrowIfInexact(FoldReport report, double tolerance)
    {
        if (!(report.Fold.MaxRelative <= tolerance))
        {
            throw new InvalidOperationException($"The folded network differs from the trained one by {report.Fold} on {report.Images} held-back images, above the tolerance {tolerance:E1}; no model is returned.");
        }

        if (!(report.OnnxMaxScaledError <= FoldReport.OnnxTolerance))
        {
            throw new InvalidOperationException($"The exported ONNX model differs from the folded network by {report.OnnxMaxAbsError:E2} (max abs; {report.OnnxMaxScaledError:E2} relative to outputs larger than 1) on {report.Images} held-back images, above {FoldReport.OnnxTolerance:E1}; no model is returned.");
        }
    }

    private static Tensor Resampled(Tensor images, int height, int width) =>
        nn.functional.interpolate(images, size: [height, width], mode: InterpolationMode.Nearest);
}
