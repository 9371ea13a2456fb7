using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Folding;

/// <summary>Measures a fold numerically: both networks in eval mode, same input.</summary>
internal static class FoldVerifier
{
    /// <summary>Runs both networks on <paramref name="input"/> in eval mode and compares their outputs.</summary>
    /// <param name="unfolded">The training-time network.</param>
    /// <param name="folded">The folded network.</param>
    /// <param name="input">A batch of inputs.</param>
    /// <returns>The measured error.</returns>
    public static FoldError Measure(nn.Module<Tensor, Tensor> unfolded, nn.Module<Tensor, Tensor> folded, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(unfolded);
        ArgumentNullException.ThrowIfNull(folded);
        ArgumentNullException.ThrowIfNull(input);
        unfolded.eval();
        folded.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var expected = unfolded.forward(input).to(float64);
        var actual = folded.forward(input).to(float64);
        return Compare(expected, actual);
    }

    /// <summary>
    /// Runs the trained network, the folded graph in TorchSharp and its ONNX export (symbolic size where the graph
    /// allows) at each size, on seeded random inputs; returns the worst fold error (graph vs trained) and the worst ONNX
    /// error (ONNX Runtime vs graph), the measure of a network that must deploy at any image size.
    /// </summary>
    internal static (FoldError Fold, FoldError Onnx) MeasureAtSizes(nn.Module<Tensor, Tensor> trained, PlainGraph graph, IEnumerable<(int Height, int Width)> sizes, int batch = 2, int seed = 1)
    {
        trained.eval();
        using var folded = new PlainGraphModule(graph);
        using var runner = new OnnxModelRunner(OnnxExporter.Export(graph, new OnnxExportOptions()));
        var (fold, onnx) = (new FoldError(0, 0), new FoldError(0, 0));
        using var generator = new Generator((ulong)seed);
        foreach (var (height, width) in sizes)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = rand(batch, graph.InputShape.Channels, height, width, generator: generator);
            var expected = folded.forward(input);
            var actual = tensor(runner.Run(input.data<float>().ToArray(), [batch, graph.InputShape.Channels, height, width])).reshape(expected.shape);
            fold = Worst(fold, Compare(trained.forward(input), expected));
            onnx = Worst(onnx, Compare(expected, actual));
        }

        return (fold, onnx);
    }

    /// <summary>Compares two outputs of the same shape.</summary>
    /// <param name="expected">The reference output.</param>
    /// <param name="actual">The output to check.</param>
    /// <returns>The error of <paramref name="actual"/> relative to <paramref name="expected"/>.</returns>
    public static FoldError Compare(Tensor expected, Tensor actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!expected.shape.SequenceEqual(actual.shape))
        {
            throw new ArgumentException($"Output shapes differ: [{string.Join(", ", expected.shape)}] vs [{string.Join(", ", actual.shape)}].");
        }

        using var scope = NewDisposeScope();
        var e = expected.to(float64);
        var maxAbs = (e - actual.to(float64)).abs().max().item<double>();
        var scale = e.abs().max().item<double>();
        return new FoldError(maxAbs, scale > 0 ? maxAbs / scale : maxAbs);
    }

    private static FoldError Worst(FoldError a, FoldError b) => new(Math.Max(a.MaxAbsolute, b.MaxAbsolute), Math.Max(a.MaxRelative, b.MaxRelative));
}
