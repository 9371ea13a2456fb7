using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>fold</c>: fold and ONNX-export error of every block configuration over the supported shape cases, and
/// latency of the classifier unfolded (TorchSharp, eval) vs folded (ONNX Runtime) vs the plain model (ONNX Runtime).
/// </summary>
internal sealed class FoldSuite : IBenchmarkSuite
{
    private static readonly ConvGeometry[] Cases =
    [
        new(8, 8, 3, 1, 1), new(8, 8, 3, 2, 1), new(8, 16, 3, 1, 1), new(8, 16, 3, 2, 1),
        new(8, 16, 3, 1, 2), new(8, 8, 3, 1, 8), new(8, 8, 3, 2, 8),
    ];

    public string Name => "fold";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var configs = BenchmarkModels.AllBlockConfigs();
        var architecture = BenchmarkModels.Classifier();
        var blocks = configs.Select(config => MeasureErrors(config, architecture)).ToList();
        var networks = BenchmarkModels.LinearSpecs.Concat(BenchmarkModels.NkrSpecs).SelectMany(spec => new[] { MeasureNetwork("ResNet classifier", spec), MeasureNetwork("U-Net", spec) }).ToList();
        var (plainModel, plainOnnx, _) = ExportFolded(BenchmarkModels.Find(nameof(BlockKind.Plain)), architecture, seed: 0);
        plainModel.Dispose();
        var latency = new List<LatencyRow>();
        foreach (var batch in new[] { 1, 64 })
        {
            foreach (var config in configs)
            {
                latency.Add(MeasureLatency(config, architecture, plainOnnx, batch, arguments.Quick));
                Console.WriteLine($"latency {config.Name} batch {batch}: {latency[^1]}");
            }
        }

        var single = latency.Where(row => row.Batch == 1).ToList();
        var chart = new BarChart(
            "Classifier latency per image, batch 1: trained network (TorchSharp) per kind vs the folded network (ONNX Runtime)",
            "ms per image",
            [.. single.Select(row => new Bar(row.Kind, row.UnfoldedTorchMs, 0)), Bar.Of("folded (every kind)", single.Select(row => row.FoldedOnnxMs))]);
        return new SuiteResult(new { blocks, networks, latency }, Markdown(blocks, networks, latency, architecture), chart);
    }

    private static BlockErrors MeasureErrors(BlockConfig config, ClassifierArchitecture architecture)
    {
        double maxAbs = 0, maxRel = 0;
        var supported = new List<string>();
        foreach (var geometry in Cases)
        {
            using var scope = NewDisposeScope();
            manual_seed(11);
            nn.Module<Tensor, Tensor> block;
            try
            {
                block = config.CreateBlock(geometry);
            }
            catch (ArgumentException)
            {
                continue; // A geometry the kind does not support (for example groups for ECB).
            }

            using (block)
            {
                BatchNormStatistics.PerturbParameters(block);
                BatchNormStatistics.Randomize(block);
                block.eval();
                using var noGrad = no_grad();
                var input = randn(2, geometry.InChannels, 9, 9);
                var (kernel, bias) = ((IReparamBlock)block).GetEquivalentKernelAndBias();
                var folded = nn.functional.conv2d(input, kernel, bias, strides: [geometry.Stride, geometry.Stride], padding: [geometry.Padding, geometry.Padding], groups: geometry.Groups);
                var error = FoldVerifier.Compare(block.forward(input), folded);
                maxAbs = Math.Max(maxAbs, error.MaxAbsolute);
                maxRel = Math.Max(maxRel, error.MaxRelative);
                supported.Add($"{geometry.InChannels}->{geometry.OutChannels}/s{geometry.Stride}/g{geometry.Groups}");
            }
        }

        var (model, onnx, plain) = ExportFolded(config, architecture, seed: 5);
        using (model)
        using (var scope = NewDisposeScope())
        using (var folded = new PlainGraphModule(plain))
        using (var runner = new OnnxModelRunner(onnx))
        {
            manual_seed(12);
            var input = randn(4, architecture.InputChannels, architecture.Height, architecture.Width);
            using var noGrad = no_grad();
            var expected = folded.forward(input);
            var actual = tensor(runner.Run(input.data<float>().ToArray(), [4, architecture.InputChannels, architecture.Height, architecture.Width])).reshape(expected.shape);
            var onnxError = FoldVerifier.Compare(expected, actual);
            var classifierFold = FoldVerifier.Compare(model.forward(input), expected);
            Console.WriteLine($"{config.Name}: fold max abs {maxAbs:E2} rel {maxRel:E2}, classifier fold rel {classifierFold.MaxRelative:E2}, onnx max abs {onnxError.MaxAbsolute:E2}");
            return new BlockErrors(config.Name, maxAbs, maxRel, classifierFold.MaxRelative, onnxError.MaxAbsolute, onnxError.MaxRelative, plain.ParameterCount, supported);
        }
    }

    /// <summary>
    /// A residual classifier (28×28 input) and a U-Net (two levels down, two up, skip concatenation) of one block kind,
    /// initial weights and randomized batch-norm statistics (as the classifier rows): fold and ONNX error at several
    /// input sizes, the ONNX model exported once with symbolic height and width.
    /// </summary>
    private static NetworkErrors MeasureNetwork(string name, BlockSpec spec)
    {
        manual_seed(9);
        using nn.Module<Tensor, Tensor> model = name.StartsWith("ResNet", StringComparison.Ordinal)
            ? new ResNetClassifier(new ClassifierArchitecture(1, 28, 28, 10, [8, 16], [1, 1], [1, 2]), spec: spec)
            : new UNet(1, 3, [8, 16, 32], spec);
        BatchNormStatistics.Randomize(model);
        (int Height, int Width)[] sizes = model is UNet ? [(64, 64), (123, 77), (200, 160)] : [(28, 28), (37, 23)];
        var graph = GraphFolder.Fold(model, new PlainShape(1, sizes[0].Height, sizes[0].Width));
        var (fold, onnx) = FoldVerifier.MeasureAtSizes(model, graph, sizes);
        Console.WriteLine($"{name} {spec.Name}: fold rel {fold.MaxRelative:E2}, onnx max abs {onnx.MaxAbsolute:E2} rel {onnx.MaxRelative:E2} at {string.Join(", ", sizes.Select(s => $"{s.Height}x{s.Width}"))}");
        return new NetworkErrors($"{name} ({spec.Name})", fold.MaxRelative, onnx.MaxAbsolute, onnx.MaxRelative, [.. sizes.Select(s => $"{s.Height}x{s.Width}")]);
    }

    private static (VggClassifier Model, byte[] Onnx, PlainGraph Plain) ExportFolded(BlockConfig config, ClassifierArchitecture architecture, int seed)
    {
        manual_seed(seed);
        var model = new VggClassifier(architecture, config.CreateBlock);
        BatchNormStatistics.Randomize(model);
        model.eval();
        var plain = GraphFolder.Fold(model, new PlainShape(architecture.InputChannels, architecture.Height, architecture.Width));
        return (model, OnnxExporter.Export(plain, new OnnxExportOptions()), plain);
    }

    private static LatencyRow MeasureLatency(BlockConfig config, ClassifierArchitecture architecture, byte[] plainOnnx, int batch, bool quick)
    {
        var (warmup, repeats) = quick ? (3, batch == 1 ? 30 : 5) : (10, batch == 1 ? 300 : 40);
        var (model, onnx, _) = ExportFolded(config, architecture, seed: 5);
        using (model)
        using (var folded = new OnnxModelRunner(onnx))
        using (var plain = new OnnxModelRunner(plainOnnx))
        using (var scope = NewDisposeScope())
        {
            var input = randn(batch, architecture.InputChannels, architecture.Height, architecture.Width);
            var values = input.data<float>().ToArray();
            int[] shape = [batch, architecture.InputChannels, architecture.Height, architecture.Width];
            var torchMs = Timing.MedianMilliseconds(
                () =>
                {
                    using var step = NewDisposeScope();
                    using var noGrad = no_grad();
                    model.forward(input);
                },
                warmup,
                repeats);
            var foldedMs = Timing.MedianMilliseconds(() => folded.Run(values, shape), warmup, repeats);
            var plainMs = Timing.MedianMilliseconds(() => plain.Run(values, shape), warmup, repeats);
            return new LatencyRow(config.Name, batch, torchMs, foldedMs, plainMs);
        }
    }

    private static string Markdown(IReadOnlyList<BlockErrors> blocks, IReadOnlyList<NetworkErrors> networks, IReadOnlyList<LatencyRow> latency, ClassifierArchitecture architecture)
    {
        var text = new StringBuilder();
        text.AppendLine("## Fold and export error").AppendLine();
        text.AppendLine("Eval mode. Block fold error: one block with every parameter perturbed by N(0, 0.1²) noise and randomized batch-norm statistics, block output vs `conv2d` with its equivalent kernel, worst over the shape cases listed; relative error is max|a−b| / max|a|. Classifier: the whole classifier (initial weights, randomized batch-norm statistics) unfolded in TorchSharp vs folded in TorchSharp (relative), and the folded network in TorchSharp vs its ONNX export in ONNX Runtime (absolute and relative), on 4 random inputs.").AppendLine();
        text.AppendLine("| kind | block fold max abs | block fold max rel | classifier fold max rel | ONNX max abs | ONNX max rel | folded parameters | cases (in->out/stride/groups) |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var b in blocks)
        {
            text.AppendLine($"| {b.Kind} | {b.MaxAbsError:E2} | {b.MaxRelError:E2} | {b.ClassifierFoldMaxRelError:E2} | {b.OnnxMaxAbsError:E2} | {b.OnnxMaxRelError:E2} | {b.FoldedParameters:N0} | {string.Join(", ", b.Cases)} |");
        }

        text.AppendLine().AppendLine("## Networks beyond a chain").AppendLine();
        text.AppendLine("Residual classifier (1×28×28 → 10, widths [8, 16], one residual block per stage) and U-Net (widths [8, 16, 32]: two stride-2 levels down, two nearest-neighbour upsamplings to the skip's size, skip concatenation, 1×1 head to 3 channels), initial weights and randomized batch-norm statistics, as the classifier rows above, on uniform [0, 1) inputs. Fold: unfolded TorchSharp vs folded graph in TorchSharp, relative; ONNX: the graph exported once with symbolic height and width, run in ONNX Runtime at every size listed, vs the folded graph, absolute and relative. Bounds: fold ≤ 1e-5 relative, ONNX ≤ 1e-4 absolute. The tests also perturb every parameter by N(0, 0.1²) (GraphFoldingTests).").AppendLine();
        text.AppendLine("| network (block kind) | fold max rel | ONNX max abs | ONNX max rel | sizes |");
        text.AppendLine("| --- | ---: | ---: | ---: | --- |");
        foreach (var n in networks)
        {
            text.AppendLine($"| {n.Name} | {n.MaxRelError:E2} | {n.OnnxMaxAbsError:E2} | {n.OnnxMaxRelError:E2} | {string.Join(", ", n.Sizes)} |");
        }

        text.AppendLine().AppendLine($"## Latency (median ms per call), classifier {architecture.InputChannels}x{architecture.Height}x{architecture.Width}, widths [{string.Join(", ", architecture.StageWidths)}], depths [{string.Join(", ", architecture.StageDepths)}]").AppendLine();
        text.AppendLine("| kind | batch | unfolded TorchSharp | folded ONNX | plain ONNX |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var row in latency)
        {
            text.AppendLine($"| {row.Kind} | {row.Batch} | {row.UnfoldedTorchMs:F3} | {row.FoldedOnnxMs:F3} | {row.PlainOnnxMs:F3} |");
        }

        return text.ToString();
    }

    private sealed record BlockErrors(string Kind, double MaxAbsError, double MaxRelError, double ClassifierFoldMaxRelError, double OnnxMaxAbsError, double OnnxMaxRelError, long FoldedParameters, IReadOnlyList<string> Cases);

    private sealed record NetworkErrors(string Name, double MaxRelError, double OnnxMaxAbsError, double OnnxMaxRelError, IReadOnlyList<string> Sizes);

    private sealed record LatencyRow(string Kind, int Batch, double UnfoldedTorchMs, double FoldedOnnxMs, double PlainOnnxMs);
}
