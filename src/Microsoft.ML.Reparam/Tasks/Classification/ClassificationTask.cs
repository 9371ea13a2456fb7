using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks.Classification;

/// <summary>
/// Image classification: a key-typed label column, a VGG-style or residual classifier, cross-entropy and accuracy;
/// the deployed graph ends in logits and their softmax, and ML.NET's own multiclass scorer makes <c>Score</c> and
/// <c>PredictedLabel</c>.
/// </summary>
internal sealed class ClassificationTask(ReparamConvTrainerOptions options) : ReparamTask
{
    public const string LogitsColumnName = "ReparamLogits";

    /// <summary>The ONNX model's second output, the softmax of the logits (read by the fold check, not by ML.NET).</summary>
    public const string ProbabilitiesColumnName = "ReparamProbabilities";

    /// <summary>Gets the label's key values as text, indexed by class; set when the targets are read.</summary>
    public IReadOnlyList<string> ClassNames { get; private set; } = [];

    public override string Name => "ReparamConv";

    public override ITrainingObjective Objective => new ClassificationObjective(options.LabelSmoothing);

    /// <summary>Checks the options only classification has (column names, architecture), naming the bad one.</summary>
    public static void Validate(ReparamConvTrainerOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ScoreColumnName, nameof(options.ScoreColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PredictedLabelColumnName, nameof(options.PredictedLabelColumnName));
        if (!Enum.IsDefined(options.Architecture))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Architecture, $"Unknown {nameof(options.Architecture)}.");
        }

        new ClassifierArchitecture(options.ColorChannels, 1, 1, 2, options.StageWidths, options.StageDepths, options.StageStrides, options.KernelSize).Validate();
    }

    public override IReadOnlyList<string> PortableOutputNames => ["logits", "probabilities"];

    public override OnnxExportOptions ScoringExportOptions(PlainGraph graph, string pixelColumn) =>
        new() { InputName = pixelColumn, OutputNames = [LogitsColumnName, ProbabilitiesColumnName], BatchSize = 1, FixedSize = true };

    public override ITargetReader TargetReader(DataViewSchema schema)
    {
        ClassNames = InputSchemaCheck.ClassNames(schema, options.LabelColumnName);
        return new ClassLabelReader(options.LabelColumnName, ClassNames.Count);
    }

    public override nn.Module<Tensor, Tensor> CreateNetwork(ImageTensorDataset input)
    {
        var architecture = new ClassifierArchitecture(input.Channels, input.Height, input.Width, input.ClassCount, options.StageWidths, options.StageDepths, options.StageStrides, options.KernelSize);
        var downsampling = new DownsamplingSpec(options.Downsampling, options.SpectralSmoothness, options.SharedStride);
        return options.Architecture == NetworkArchitecture.ResNet
            ? new ResNetClassifier(architecture, downsampling, options.BlockSpec)
            : new VggClassifier(architecture, options.BlockSpec, downsampling);
    }

    public override PlainValue[] Head(GraphBuilder graph, PlainValue output) => [output, graph.Add(new PlainSoftmax(), output)];

    public override TransformerChain<ITransformer> ScoringChain(IHostEnvironment environment, MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath) =>
        ClassificationScoring.Create(environment, mlContext, data, preprocessing, onnxPath, options, ClassNames.Count);

    public override SchemaShape OutputSchema(SchemaShape inputSchema)
    {
        if (!inputSchema.Any(c => c.Name == options.ImageColumnName))
        {
            throw new ArgumentException($"Image column '{options.ImageColumnName}' was not found in the input schema.", nameof(inputSchema));
        }

        if (!inputSchema.Any(c => c.Name == options.LabelColumnName && c.IsKey))
        {
            throw new ArgumentException($"Label column '{options.LabelColumnName}' was not found in the input schema or is not a key type.", nameof(inputSchema));
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[options.ScoreColumnName] = OutputShape.Column(options.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false, "SlotNames");
        columns[options.PredictedLabelColumnName] = OutputShape.Column(options.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, isKey: true, "KeyValues");
        return new SchemaShape(columns.Values);
    }

    public override string Describe(ImageTensorDataset data) => $"{ClassNames.Count} classes";
}
