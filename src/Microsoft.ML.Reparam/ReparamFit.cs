using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Quantization;
using Microsoft.ML.Reparam.Tasks;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Checkpoints;
using Microsoft.ML.Reparam.Training.Reactivation;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam;

/// <summary>What one fit produced: the deployed model and everything measured on the way.</summary>
/// <param name="Onnx">The ONNX model both chains score with: one image of the trained size.</param>
/// <param name="PortableOnnx">The graph exported for other runtimes (symbolic batch, height and width where it allows), checked like the scoring model.</param>
/// <param name="Scoring">The stock chain the model saves: it reads the caller's image column.</param>
/// <param name="InProcessScoring">The chain the fitted transformer runs: it reads <paramref name="ImageCopyColumn"/>, copies of the caller's images, and drops it.</param>
/// <param name="ImageColumn">The caller's image column.</param>
/// <param name="ImageCopyColumn">The column of copies, or null when the images are pixel vectors (then both chains are one).</param>
/// <param name="OnnxPath">The file both chains' ONNX transformers read; deleted with the transformer.</param>
/// <param name="Graph">The deployed plain graph.</param>
/// <param name="FoldReport">The fold and ONNX errors on the held-back images.</param>
/// <param name="Training">The training history.</param>
/// <param name="Reactivations">Kernel reactivation events.</param>
/// <param name="Strides">The deployed spectral strides.</param>
/// <param name="Input">The images read and their preprocessing.</param>
/// <param name="TrainedNetwork">The trained network when retained, else null.</param>
/// <param name="Quantization">What INT8 deployment measured, or null for a float model.</param>
internal sealed record FitResult(
    TransformerChain<ITransformer> Scoring,
    TransformerChain<ITransformer> InProcessScoring,
    string ImageColumn,
    string? ImageCopyColumn,
    byte[] Onnx,
    byte[] PortableOnnx,
    string OnnxPath,
    PlainGraph Graph,
    FoldReport FoldReport,
    TrainingResult Training,
    IReadOnlyList<ReactivationEvent> Reactivations,
    IReadOnlyList<LearnedStride> Strides,
    ImageInput Input,
    nn.Module<Tensor, Tensor>? TrainedNetwork,
    QuantizationReport? Quantization);

/// <summary>
/// The one fit pipeline every task runs: read images and targets → hold back fold-check images → build the network →
/// train → fold (normalisation in front, the task's head behind) → check the fold and the ONNX export → optionally
/// quantize to INT8 → the stock ML.NET scoring chain. The task supplies what differs (<see cref="ReparamTask"/>).
/// </summary>
internal static class ReparamFit
{
    public static FitResult Run(IHostEnvironment environment, ReparamTask task, ReparamTrainerOptions options, IDataView input)
    {
        using var channel = environment.Start(task.Name);
        var mlContext = new MLContext(options.Seed);
        var checkpoint = options.CheckpointDirectory is { } folder ? new CheckpointPlan(folder, RunFingerprint.Of(task.Name, options)) : null;
        checkpoint?.EnsureWritable();
        var images = task.ReadImages(mlContext, input, options);
        var data = images.Data;
        var (trainRows, checkRows) = HoldBack(data.Count, options);
        channel.Info(MessageSensitivity.None, $"{task.Name}: {trainRows.Length} training images {data.Channels}x{data.Height}x{data.Width}, {task.Describe(data)}, {checkRows.Length} held back for the fold check, block {options.BlockSpec.Name}.");

        var model = TorchRandom.Seeded(options.Seed, () => task.CreateNetwork(data));
        var kept = false;
        try
        {
            var progress = new ChannelProgress(channel, task.Name, options.Progress);
            var reactivation = options.KernelReactivation is { } reactivationOptions ? new KernelReactivation(reactivationOptions) : null;
            var settings = Settings(environment, options, task.Objective, reactivation) with
            {
                Checkpoint = checkpoint,
                Canceled = CatalogEnvironment.Cancellation(environment),
            };
            var training = TrainingLoop.Train(model, data, trainRows, settings, progress, options.CancellationToken);

            var graph = GraphFolder.Fold(model, new PlainShape(data.Channels, data.Height, data.Width), Normalization(options), task.Head);
            var strides = LearnedStride.Of(model, graph);
            foreach (var stride in strides)
            {
                channel.Info(MessageSensitivity.None, $"{task.Name}: spectral downsampling {stride}.");
            }

            var scoringGraph = task.ScoringGraph(graph);
            var onnx = OnnxExporter.Export(scoringGraph, task.ScoringExportOptions(scoringGraph, images.PixelColumnName));
            var portable = OnnxExporter.Export(graph, new OnnxExportOptions { OutputNames = task.PortableOutputNames });
            var report = FoldCheck.Measure(model, graph, [(onnx, scoringGraph), (portable, graph)], data.Subset(checkRows), options);
            channel.Info(MessageSensitivity.None, $"{task.Name}: fold {report.Fold}, ONNX max abs {report.OnnxMaxAbsError:E2} on {report.Images} held-back images.");
            FoldCheck.ThrowIfInexact(report, options.FoldTolerance);
            QuantizationReport? quantization = null;
            if (options.Quantization is { } int8)
            {
                (onnx, portable, quantization) = Int8Deployment.Run((onnx, scoringGraph), (portable, graph), data, trainRows, data.Subset(checkRows), task.Objective, int8, options.Seed);
                channel.Info(MessageSensitivity.None, $"{task.Name}: {quantization}.");
            }

            var onnxPath = Path.Combine(Directory.CreateTempSubdirectory("reparam-").FullName, "model.onnx");
            File.WriteAllBytes(onnxPath, onnx);
            var scoring = task.ScoringChain(environment, mlContext, input, images.Preprocessing, onnxPath);
            var inProcess = images.ImageCopyColumn is null ? scoring : InProcessChain(environment, mlContext, task, input, images, onnxPath, options.ImageColumnName);
            kept = options.RetainTrainedNetwork;
            return new FitResult(scoring, inProcess, options.ImageColumnName, images.ImageCopyColumn, onnx, portable, onnxPath, graph, report, training, reactivation?.Events ?? [], strides, images, kept ? model : null, quantization);
        }
        finally
        {
            if (!kept)
            {
                model.Dispose(); // also when the fit fails, retained or not
            }
        }
    }

    /// <summary>The scoring chain over copies of the caller's images, without the copy column in its output.</summary>
    private static TransformerChain<ITransformer> InProcessChain(IHostEnvironment environment, MLContext mlContext, ReparamTask task, IDataView input, ImageInput images, string onnxPath, string imageColumn)
    {
        var copies = CallerImageCopies.With(input, imageColumn);
        var chain = task.ScoringChain(environment, mlContext, copies, images.InProcessPreprocessing, onnxPath);
        return new TransformerChain<ITransformer>([.. chain, mlContext.Transforms.DropColumns(images.ImageCopyColumn).Fit(chain.Transform(copies))]);
    }

    /// <summary>Seeded rows held back from training for the fold check: min(FoldCheckImages, N/10), at least one.</summary>
    private static (int[] Train, int[] Check) HoldBack(int count, ReparamTrainerOptions options)
    {
        var held = Math.Clamp(options.FoldCheckImages, 1, Math.Max(1, count / 10));
        var order = Enumerable.Range(0, count).ToArray();
        new Random(options.Seed + 17).Shuffle(order);
        return (order[held..], order[..held]);
    }

    private static PlainNormalize? Normalization(ReparamTrainerOptions options) =>
        options.InputMean.Length == 0 && options.InputStd.Length == 0 ? null : new PlainNormalize(Filled(options.InputMean, 0, options.ColorChannels), Filled(options.InputStd, 1, options.ColorChannels));

    private static float[] Filled(float[] values, float neutral, int channels) => values.Length == 0 ? [.. Enumerable.Repeat(neutral, channels)] : [.. values]; // a copy: the caller may reuse the options

    private static TrainingSettings Settings(IHostEnvironment environment, ReparamTrainerOptions options, ITrainingObjective objective, ITrainingHook? reactivation) => new()
    {
        Hooks = [.. new[] { reactivation, StrideHook(options) }.OfType<ITrainingHook>()],
        Objective = objective,
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        Optimizer = options.Optimizer,
        LearningRate = options.LearningRate,
        Momentum = options.Momentum,
        WeightDecay = options.WeightDecay,
        WarmupEpochs = options.WarmupEpochs,
        RandomCropPadding = options.RandomCropPadding,
        HorizontalFlip = options.HorizontalFlip,
        VerticalFlip = options.VerticalFlip,
        Rotate90 = options.Rotate90,
        ValidationFraction = options.ValidationFraction,
        Seed = options.Seed,
        InputMean = options.InputMean,
        InputStd = options.InputStd,
        GpuDeviceId = options.GpuDeviceId ?? CatalogEnvironment.Setting<int>(environment, nameof(MLContext.GpuDeviceId)),
        FallbackToCpu = options.FallbackToCpu ?? CatalogEnvironment.Setting<bool>(environment, nameof(MLContext.FallbackToCpu)) ?? true,
    };

    private static StrideComplexityRegularizer? StrideHook(ReparamTrainerOptions options) =>
        options.Downsampling == DownsamplingKind.StridedConvolution ? null : new StrideComplexityRegularizer(options.StrideComplexityWeight);

    private sealed class ChannelProgress(IChannel channel, string name, IProgress<TrainingProgress>? user) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            channel.Info(MessageSensitivity.None, $"{name}: {value}");
            user?.Report(value);
        }
    }
}
