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
    /// Compares the trained network (on normalized pixels) with the folded graph's first output (logits, on raw
    /// pixels: the graph normalizes itself), and ONNX Runtime's scores with the graph's second output (probabilities).
    /// </summary>
    public static FoldReport Measure(nn.Module<Tensor, Tensor> trained, PlainGraph graph, byte[] onnx, ImageTensorDataset images, ReparamConvTrainerOptions options)
    {
        using var scope = NewDisposeScope();
        using var folded = new PlainGraphModule(graph);
        var indices = Enumerable.Range(0, images.Count).ToArray();
        var (normalized, _) = new BatchSource(images, options.InputMean, options.InputStd).Batch(indices);
        var (raw, _) = new BatchSource(images, [], []).Batch(indices);
        trained.eval();
        using var noGrad = no_grad();
        var outputs = folded.Run(raw);
        var fold = FoldVerifier.Compare(trained.forward(normalized), outputs[0]);
        var expected = outputs[1];
        using var runner = new OnnxModelRunner(onnx);
        var scores = new float[expected.NumberOfElements];
        var classes = (int)expected.shape[1];
        for (var i = 0; i < images.Count; i++)
        {
            var pixels = images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize).ToArray();
            runner.Run(pixels, [1, images.Channels, images.Height, images.Width], ScoringChain.ProbabilitiesColumnName).CopyTo(scores, i * classes);
        }

        var onnxError = FoldVerifier.Compare(expected, tensor(scores).reshape(expected.shape));
        return new FoldReport(fold, onnxError.MaxAbsolute, images.Count);
    }

    public static void ThrowIfInexact(FoldReport report, double tolerance)
    {
        if (!(report.Fold.MaxRelative <= tolerance))
        {
            throw new InvalidOperationException($"The folded network differs from the trained one by {report.Fold} on {report.Images} held-back images, above the tolerance {tolerance:E1}; no model is returned.");
        }

        if (!(report.OnnxMaxAbsError <= FoldReport.OnnxTolerance))
        {
            throw new InvalidOperationException($"The exported ONNX model differs from the folded network by {report.OnnxMaxAbsError:E2} (max abs) on {report.Images} held-back images, above {FoldReport.OnnxTolerance:E1}; no model is returned.");
        }
    }
}
