using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tasks;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam;

/// <summary>What one fit produced: the deployed model and everything measured on the way.</summary>
internal sealed record FitResult(
    TransformerChain<ITransformer> Scoring,
    byte[] Onnx,
    string OnnxPath,
    PlainGraph Graph,
    FoldReport FoldReport,
    TrainingResult Training,
    IReadOnlyList<ReactivationEvent> Reactivations,
    IReadOnlyList<LearnedStride> Strides,
    ImageInput Input,
    nn.Module<Tensor, Tensor>? TrainedNetwork);

/// <summary>
/// The one fit pipeline every task runs: read images and targets → hold back fold-check images → build the network →
/// train → fold (normalisation in front, the task's head behind) → check the fold and the ONNX export → the stock
/// ML.NET scoring chain. The task supplies what differs (<see cref="ReparamTask"/>).
/// </summary>
internal static class ReparamFit
{
    public static FitResult Run(IHostEnvironment environment, ReparamTask task, ReparamTrainerOptions options, IDataView input)
    {
        using var channel = environment.Start(task.Name);
        var mlContext = new MLContext(options.Seed);
        var images = ImageColumnReader.Read(mlContext, input, options, task.TargetReader(input.Schema));
        var data = images.Data;
        var (trainRows, checkRows) = HoldBack(data.Count, options);
        channel.Info(MessageSensitivity.None, $"{task.Name}: {trainRows.Length} training images {data.Channels}x{data.Height}x{data.Width}, {task.Describe(data)}, {checkRows.Length} held back for the fold check, block {options.BlockSpec.Name}.");

        manual_seed(options.Seed);
        var model = task.CreateNetwork(data);
        var kept = false;
        try
        {
            var progress = new ChannelProgress(channel, task.Name, options.Progress);
            var reactivation = options.KernelReactivation is { } reactivationOptions ? new KernelReactivation(reactivationOptions) : null;
            var training = TrainingLoop.Train(model, data, trainRows, Settings(environment, options, task.Objective, reactivation), progress, options.CancellationToken);

            var graph = GraphFolder.Fold(model, new PlainShape(data.Channels, data.Height, data.Width), Normalization(options), task.Head);
            var strides = LearnedStride.Of(model, graph);
            foreach (var stride in strides)
            {
                channel.Info(MessageSensitivity.None, $"{task.Name}: spectral downsampling {stride}.");
            }

            var onnx = OnnxExporter.Export(graph, new OnnxExportOptions { InputName = images.PixelColumnName, OutputNames = task.OnnxOutputNames, BatchSize = 1, FixedSize = true });
            var report = FoldCheck.Measure(model, graph, onnx, data.Subset(checkRows), options);
            channel.Info(MessageSensitivity.None, $"{task.Name}: fold {report.Fold}, ONNX max abs {report.OnnxMaxAbsError:E2} on {report.Images} held-back images.");
            FoldCheck.ThrowIfInexact(report, options.FoldTolerance);

            var onnxPath = Path.Combine(Directory.CreateTempSubdirectory("reparam-").FullName, "model.onnx");
            File.WriteAllBytes(onnxPath, onnx);
            var scoring = task.ScoringChain(environment, mlContext, input, images, onnxPath);
            kept = options.RetainTrainedNetwork;
            return new FitResult(scoring, onnx, onnxPath, graph, report, training, reactivation?.Events ?? [], strides, images, kept ? model : null);
        }
        finally
        {
            if (!kept)
            {
                model.Dispose(); // also when the fit fails, retained or not
            }
        }
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

    private static float[] Filled(float[] values, float neutral, int channels) => values.Length == 0 ? [.. Enumerable.Repeat(neutral, channels)] : values;

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
