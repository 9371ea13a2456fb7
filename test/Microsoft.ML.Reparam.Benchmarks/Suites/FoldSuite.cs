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

        return new SuiteResult(new { blocks, latency }, Markdown(blocks, latency, architecture));
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
        using (var folded = new PlainNetworkModule(plain))
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

    private static (VggClassifier Model, byte[] Onnx, PlainNetwork Plain) ExportFolded(BlockConfig config, ClassifierArchitecture architecture, int seed)
    {
        manual_seed(seed);
        var model = new VggClassifier(architecture, config.CreateBlock);
        BatchNormStatistics.Randomize(model);
        model.eval();
        var plain = NetworkFolder.Fold(model);
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

    private static string Markdown(IReadOnlyList<BlockErrors> blocks, IReadOnlyList<LatencyRow> latency, ClassifierArchitecture architecture)
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

    private sealed record LatencyRow(string Kind, int Batch, double UnfoldedTorchMs, double FoldedOnnxMs, double PlainOnnxMs);
}
