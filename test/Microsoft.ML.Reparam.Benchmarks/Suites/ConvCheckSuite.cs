using System.Globalization;
using System.Text;
using Microsoft.ML.Reparam.Benchmarks.Measurement;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Optimizers;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>conv-check</c> (docs/training.md, "Wrong convolutions"): on this CPU, the relative error of libtorch's
/// float32 convolutions with oneDNN and without it (per channel count, against unfold and matrix product), and what
/// turning oneDNN off costs a training step (interleaved, same process). <c>--quick</c> times fewer steps.
/// </summary>
internal sealed class ConvCheckSuite : IBenchmarkSuite
{
    private const int BatchSize = 128;

    public string Name => "conv-check";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var (cpu, flags, family) = (CpuModel.Name(), CpuModel.Flags(), CpuModel.Family());
        var check = ConvolutionCheck.Result;
        int[] channels = [.. Enumerable.Range(1, 72), 96, 128];
        var errors = channels.Select(c => new ChannelError(c, Measure(true, () => ConvolutionCheck.RelativeError(c)), Measure(false, () => ConvolutionCheck.RelativeError(c)))).ToList();
        var (warmup, repeats, rounds) = arguments.Quick ? (2, 3, 2) : (5, 10, 5);
        var steps = new[] { BlockKind.Plain, BlockKind.RepVgg }.Select(kind => Step(kind, warmup, repeats, rounds)).ToList();
        ConvolutionCheck.SetOneDnn(!check.OneDnnDisabled); // as the process's check left it
        foreach (var step in steps)
        {
            Console.WriteLine($"{step.Kind}: {step.OneDnnMs:F1} ms per step with oneDNN, {step.WithoutMs:F1} without");
        }

        var json = new { cpu, family, flags, oneDnnDisabled = check.OneDnnDisabled, errors, steps };
        return new SuiteResult(json, Markdown(cpu, family, flags, check, errors, steps, (warmup, repeats, rounds)));
    }

    private static double Measure(bool oneDnn, Func<double> measure)
    {
        ConvolutionCheck.SetOneDnn(oneDnn);
        return measure();
    }

    /// <summary>The median milliseconds of an SGD step (forward, cross-entropy, backward, update) of the benchmark classifier, with and without oneDNN, interleaved.</summary>
    private static StepCost Step(BlockKind kind, int warmup, int repeats, int rounds)
    {
        var architecture = BenchmarkModels.Classifier();
        manual_seed(0);
        using var model = new VggClassifier(architecture, new BlockSpec(kind));
        model.train();
        var parameters = model.parameters().ToList();
        using var optimizer = new SgdMomentumOptimizer([new([.. parameters.Where(p => p.dim() >= 2)], 5e-4), new([.. parameters.Where(p => p.dim() < 2)], 0)], 0.01, 0.9);
        using var images = randn(BatchSize, architecture.InputChannels, architecture.Height, architecture.Width);
        using var labels = randint(architecture.Classes, [BatchSize], dtype: int64);
        void TrainStep()
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            nn.functional.cross_entropy(model.forward(images), labels).backward();
            optimizer.Step();
        }

        var (with, without) = Timing.InterleavedMedians(() => Measure(true, TrainStep), () => Measure(false, TrainStep), warmup, repeats, rounds);
        return new StepCost(kind.ToString(), Math.Round(with, 2), Math.Round(without, 2));

        void Measure(bool oneDnn, Action step)
        {
            ConvolutionCheck.SetOneDnn(oneDnn);
            step();
        }
    }

    private static string Markdown(string cpu, string family, string flags, ConvolutionCheckResult check, IReadOnlyList<ChannelError> errors, IReadOnlyList<StepCost> steps, (int Warmup, int Repeats, int Rounds) timing)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"CPU: {cpu} ({family}; flags {flags}). The fit's check (`Torch/ConvolutionCheck`) found a worst relative error of {check.OneDnnError:G3} with oneDNN and {(check.OneDnnDisabled ? "turned oneDNN off" : "kept oneDNN")} in this process.").AppendLine();
        text.AppendLine("Relative error of float32 C → C convolutions (3×3 and 1×1, [2, C, 7, 7], seeded) against unfold and matrix product:").AppendLine();
        var wrong = errors.Where(e => !(e.WithOneDnn <= 1e-3)).Select(e => e.Channels).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"Wrong (relative error above 1e-3 or NaN) with oneDNN: {(wrong.Count == 0 ? "none" : string.Join(", ", wrong))}; without oneDNN: {errors.Count(e => !(e.WithoutOneDnn <= 1e-3))} of {errors.Count}.").AppendLine();
        text.AppendLine("| channels | with oneDNN | without oneDNN |").AppendLine("| ---: | ---: | ---: |");
        foreach (var e in errors)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {e.Channels} | {e.WithOneDnn:G3} | {e.WithoutOneDnn:G3} |");
        }

        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Training step of the benchmark classifier (28×28 gray, widths [32, 64, 128], batch {BatchSize}, SGD with momentum): median ms, {timing.Rounds} interleaved rounds of {timing.Repeats} steps after {timing.Warmup} warm-up steps each; with oneDNN the values are wrong on a CPU where the check fails, so that column is a cost, not a usable result.").AppendLine();
        text.AppendLine("| block kind | ms with oneDNN | ms without | without / with |").AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var s in steps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Kind} | {s.OneDnnMs:F1} | {s.WithoutMs:F1} | {s.WithoutMs / s.OneDnnMs:F2} |");
        }

        return text.ToString();
    }

    private sealed record ChannelError(int Channels, double WithOneDnn, double WithoutOneDnn);

    private sealed record StepCost(string Kind, double OneDnnMs, double WithoutMs);
}
