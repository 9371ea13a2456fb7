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
    public static FoldReport Measure(nn.Module<Tensor, Tensor> trained, PlainNetwork network, byte[] onnx, ImageTensorDataset images, ReparamConvTrainerOptions options)
    {
        using var scope = NewDisposeScope();
        using var folded = new PlainNetworkModule(network);
        var source = new BatchSource(images, options.InputMean, options.InputStd);
        var indices = Enumerable.Range(0, images.Count).ToArray();
        var (normalized, _) = source.Batch(indices);
        var fold = FoldVerifier.Measure(trained, folded, normalized);

        using var noGrad = no_grad();
        var expected = nn.functional.softmax(folded.forward(normalized), 1);
        using var runner = new OnnxModelRunner(onnx);
        var scores = new float[expected.NumberOfElements];
        var classes = (int)expected.shape[1];
        for (var i = 0; i < images.Count; i++)
        {
            var raw = images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize).ToArray();
            runner.Run(raw, [1, images.Channels, images.Height, images.Width]).CopyTo(scores, i * classes);
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
