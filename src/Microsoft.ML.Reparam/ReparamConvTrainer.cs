using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Trains a reparameterizable CNN image classifier with TorchSharp, folds it exactly into a plain CNN, checks the
/// fold and the ONNX export on held-back images, and returns a transformer that scores the plain CNN through
/// ONNX Runtime with stock ML.NET transformers.
/// </summary>
public sealed class ReparamConvTrainer : IEstimator<ReparamConvTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly ReparamConvTrainerOptions _options;

    internal ReparamConvTrainer(IHostEnvironment environment, ReparamConvTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        OptionsCheck.Validate(options);
        _environment = environment;
        _options = options;
    }

    /// <summary>Trains, folds, checks and exports.</summary>
    /// <param name="input">Training data with the image and key label columns.</param>
    /// <returns>The fitted transformer.</returns>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type, or the data is unusable (the message names the column, row and value).</exception>
    /// <exception cref="InvalidOperationException">The fold or the ONNX export is not exact within tolerance.</exception>
    public ReparamConvTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var channel = _environment.Start(nameof(ReparamConvTrainer));
        var mlContext = new MLContext(_options.Seed);
        var images = ImageColumnReader.Read(mlContext, input, _options);
        var (train, check) = HoldBack(images.Data);
        channel.Info(MessageSensitivity.None, $"ReparamConv: {train.Count} training images {train.Channels}x{train.Height}x{train.Width}, {images.ClassNames.Count} classes, {check.Count} held back for the fold check, block {_options.BlockSpec.Name}.");

        manual_seed(_options.Seed);
        var model = CreateNetwork(Architecture(train));
        var kept = false;
        try
        {
            var progress = new ChannelProgress(channel, _options.Progress);
            var reactivation = _options.KernelReactivation is { } reactivationOptions ? new KernelReactivation(reactivationOptions) : null;
            var training = TrainingLoop.Train(model, train, Settings(reactivation), progress, _options.CancellationToken);

            var graph = GraphFolder.Fold(model, new PlainShape(train.Channels, train.Height, train.Width), Normalization(), (builder, logits) => [logits, builder.Add(new PlainSoftmax(), logits)]);
            var strides = LearnedStride.Of(model, graph);
            foreach (var stride in strides)
            {
                channel.Info(MessageSensitivity.None, $"ReparamConv: spectral downsampling {stride}.");
            }

            var onnx = OnnxExporter.Export(graph, ScoringExportOptions(images));
            var report = FoldCheck.Measure(model, graph, onnx, check, _options);
            channel.Info(MessageSensitivity.None, $"ReparamConv: fold {report.Fold}, ONNX max abs {report.OnnxMaxAbsError:E2} on {report.Images} held-back images.");
            FoldCheck.ThrowIfInexact(report, _options.FoldTolerance);

            var onnxPath = Path.Combine(Directory.CreateTempSubdirectory("reparam-").FullName, "model.onnx");
            File.WriteAllBytes(onnxPath, onnx);
            var scoring = ScoringChain.Create(_environment, mlContext, input, images, onnxPath, _options);
            kept = _options.RetainTrainedNetwork;
            return new ReparamConvTransformer(scoring, onnx, onnxPath, graph, report, training, reactivation?.Events ?? [], strides, images, _options, kept ? model : null);
        }
        finally
        {
            if (!kept)
            {
                model.Dispose(); // also when the fit fails, retained or not
            }
        }
    }

    /// <summary>Returns the input shape with the score and predicted-label columns added.</summary>
    /// <param name="inputSchema">The input shape.</param>
    /// <returns>The output shape.</returns>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.Any(c => c.Name == _options.ImageColumnName))
        {
            throw new ArgumentException($"Image column '{_options.ImageColumnName}' was not found in the input schema.", nameof(inputSchema));
        }

        if (!inputSchema.Any(c => c.Name == _options.LabelColumnName && c.IsKey))
        {
            throw new ArgumentException($"Label column '{_options.LabelColumnName}' was not found in the input schema or is not a key type.", nameof(inputSchema));
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.ScoreColumnName] = OutputShape.Column(_options.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        columns[_options.PredictedLabelColumnName] = OutputShape.Column(_options.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true);
        return new SchemaShape(columns.Values);
    }

    private (ImageTensorDataset Train, ImageTensorDataset Check) HoldBack(ImageTensorDataset data)
    {
        var count = Math.Clamp(_options.FoldCheckImages, 1, Math.Max(1, data.Count / 10));
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(_options.Seed + 17).Shuffle(order);
        return (data.Subset(order[count..]), data.Subset(order[..count]));
    }

    private nn.Module<Tensor, Tensor> CreateNetwork(ClassifierArchitecture architecture)
    {
        var downsampling = new DownsamplingSpec(_options.Downsampling, _options.SpectralSmoothness, _options.SharedStride);
        return _options.Architecture == NetworkArchitecture.ResNet
            ? new ResNetClassifier(architecture, downsampling, _options.BlockSpec)
            : new VggClassifier(architecture, _options.BlockSpec, downsampling);
    }

    private PlainNormalize? Normalization() =>
        _options.InputMean.Length == 0 && _options.InputStd.Length == 0 ? null : new PlainNormalize(Filled(_options.InputMean, 0), Filled(_options.InputStd, 1));

    private float[] Filled(float[] values, float neutral) => values.Length == 0 ? [.. Enumerable.Repeat(neutral, _options.ColorChannels)] : values;

    private ClassifierArchitecture Architecture(ImageTensorDataset data) =>
        new(data.Channels, data.Height, data.Width, data.ClassCount, _options.StageWidths, _options.StageDepths, _options.StageStrides, _options.KernelSize);

    private TrainingSettings Settings(ITrainingHook? reactivation) => new()
    {
        Hooks = [.. new[] { reactivation, StrideHook() }.OfType<ITrainingHook>()],
        Epochs = _options.Epochs,
        BatchSize = _options.BatchSize,
        Optimizer = _options.Optimizer,
        LearningRate = _options.LearningRate,
        Momentum = _options.Momentum,
        WeightDecay = _options.WeightDecay,
        WarmupEpochs = _options.WarmupEpochs,
        LabelSmoothing = _options.LabelSmoothing,
        RandomCropPadding = _options.RandomCropPadding,
        HorizontalFlip = _options.HorizontalFlip,
        ValidationFraction = _options.ValidationFraction,
        Seed = _options.Seed,
        InputMean = _options.InputMean,
        InputStd = _options.InputStd,
        GpuDeviceId = _options.GpuDeviceId ?? CatalogEnvironment.Setting<int>(_environment, nameof(MLContext.GpuDeviceId)),
        FallbackToCpu = _options.FallbackToCpu ?? CatalogEnvironment.Setting<bool>(_environment, nameof(MLContext.FallbackToCpu)) ?? true,
    };

    private StrideComplexityRegularizer? StrideHook() =>
        _options.Downsampling == DownsamplingKind.StridedConvolution ? null : new StrideComplexityRegularizer(_options.StrideComplexityWeight);

    /// <summary>The model ML.NET scores with: one image of the trained size, outputs logits (for its multiclass scorer) and probabilities.</summary>
    private static OnnxExportOptions ScoringExportOptions(ImageInput images) => new()
    {
        InputName = images.PixelColumnName,
        OutputNames = [ScoringChain.LogitsColumnName, ScoringChain.ProbabilitiesColumnName],
        BatchSize = 1,
        FixedSize = true,
    };

    private sealed class ChannelProgress(IChannel channel, IProgress<TrainingProgress>? user) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            channel.Info(MessageSensitivity.None, $"ReparamConv: {value}");
            user?.Report(value);
        }
    }
}
