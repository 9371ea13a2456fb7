using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks.Segmentation;

/// <summary>
/// Semantic segmentation: an image column and a mask column, a U-Net of reparameterizable blocks, per-pixel
/// cross-entropy and mean IoU; the deployed graph ends in logits, per-pixel probabilities and the arg-max class, and
/// the stock chain turns the classes into a key-typed mask whose key values are the class names.
/// </summary>
internal sealed class SegmentationTask(ReparamSegmentationOptions options) : ReparamTask
{
    public const string LogitsColumnName = "ReparamSegmentationLogits";
    public const string ProbabilitiesColumnName = "ReparamSegmentationProbabilities";
    public const string ClassesColumnName = "ReparamSegmentationClasses";
    public const string ClassNamesColumnName = "ReparamSegmentationClassNames";

    private MaskReader? _reader;
    private IReadOnlyList<string>? _keyNames;

    /// <summary>Gets the class names, indexed by class id; known once the masks are read.</summary>
    public IReadOnlyList<string> ClassNames =>
        options.ClassNames ?? _keyNames ?? [.. Enumerable.Range(0, ClassCount).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Gets the number of classes; known once the masks are read.</summary>
    public int ClassCount => _reader?.ClassCount ?? throw new InvalidOperationException("The masks have not been read yet.");

    public override string Name => "ReparamSegmentation";

    public override ITrainingObjective Objective => new SegmentationObjective(ClassCount, options.ClassWeights);

    public override IReadOnlyList<string> PortableOutputNames => ["logits", "probabilities", "classes"];

    /// <summary>Checks the options only segmentation has, naming the bad one.</summary>
    public static void Validate(ReparamSegmentationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.MaskColumnName, nameof(options.MaskColumnName));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PredictedMaskColumnName, nameof(options.PredictedMaskColumnName));
        if (options.ScoreColumnName is { } score)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(score, nameof(options.ScoreColumnName));
        }

        if (options.ClassNames is { } names && (names.Length is < 2 or >= MaskTargets.Ignore || names.Distinct().Count() != names.Length || names.Any(string.IsNullOrEmpty)))
        {
            throw new ArgumentException($"{nameof(options.ClassNames)} must hold 2 to {MaskTargets.Ignore - 1} distinct, non-empty names; got [{string.Join(", ", names)}].", nameof(options));
        }

        if (options.MaskValues is { } map && (map.Keys.Any(v => v is < 0 or > 255) || map.Values.Any(c => c is < 0 or >= MaskTargets.Ignore) || (options.ClassNames is { } n && map.Values.Any(c => c >= n.Length))))
        {
            throw new ArgumentException($"{nameof(options.MaskValues)} maps pixel values 0..255 to class ids below {options.ClassNames?.Length ?? MaskTargets.Ignore}; got {string.Join(", ", map.Select(p => $"{p.Key}→{p.Value}"))}.", nameof(options));
        }

        if (options.IgnoreValue is { } ignore && (ignore is < 0 or > 255 || options.MaskValues?.ContainsKey(ignore) == true || (options.MaskValues is null && options.ClassNames is { } classes && ignore < classes.Length)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), ignore, $"{nameof(options.IgnoreValue)} must be a pixel value 0..255 that is not a class id (not mapped by {nameof(options.MaskValues)}, not below the number of {nameof(options.ClassNames)}).");
        }

        if (options.ClassWeights is { } weights && (weights.Any(w => !float.IsFinite(w) || w < 0) || weights.All(w => w == 0) || (options.ClassNames is { } m && weights.Length != m.Length)))
        {
            throw new ArgumentException($"{nameof(options.ClassWeights)} must be finite, non-negative, not all zero and one per class; got [{string.Join(", ", weights)}].", nameof(options));
        }

        if (!Enum.IsDefined(options.Upsampling))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Upsampling, $"Unknown {nameof(options.Upsampling)}.");
        }

        if (options.StageWidths.Length < 2 || options.StageWidths.Any(w => w < 1) || options.StageDepths.Length is not 1 && options.StageDepths.Length != options.StageWidths.Length || options.StageDepths.Any(d => d < 1))
        {
            throw new ArgumentException($"The U-Net needs two or more {nameof(options.StageWidths)} (got [{string.Join(", ", options.StageWidths)}]) and one {nameof(options.StageDepths)} value for all levels or one per level, each at least 1 (got [{string.Join(", ", options.StageDepths)}]).", nameof(options));
        }
    }

    public override ITargetReader TargetReader(DataViewSchema schema)
    {
        var mask = MaskReader.MaskColumn(schema, options.MaskColumnName);
        var known = options.ClassNames?.Length ?? (options.MaskValues is { Count: > 0 } map ? map.Values.Max() + 1 : 0);
        if (mask.Type is VectorDataViewType { ItemType: KeyDataViewType key })
        {
            if (options.ClassNames is { } names && names.Length != (int)key.Count)
            {
                throw new ArgumentException($"Mask column '{options.MaskColumnName}' has {key.Count} keys but {nameof(options.ClassNames)} names {names.Length} classes.", nameof(schema));
            }

            if (mask.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type is VectorDataViewType { ItemType: TextDataViewType } annotation)
            {
                VBuffer<ReadOnlyMemory<char>> values = default;
                mask.GetKeyValues(ref values);
                _keyNames = annotation.Size == (int)key.Count
                    ? [.. values.DenseValues().Select(v => v.ToString())]
                    : throw new ArgumentException($"Mask column '{options.MaskColumnName}': its key type has {key.Count} values but its key-value annotation lists {annotation.Size}.", nameof(schema));
            }
        }

        _reader = new MaskReader(options, known);
        return _reader;
    }

    public override nn.Module<Tensor, Tensor> CreateNetwork(ImageTensorDataset input)
    {
        if (options.ClassWeights is { } weights && weights.Length != ClassCount)
        {
            throw new ArgumentException($"{nameof(options.ClassWeights)} has {weights.Length} weights but the masks have {ClassCount} classes.", nameof(input));
        }

        return new UNet(input.Channels, ClassCount, options.StageWidths, options.BlockSpec, options.StageDepths, new DownsamplingSpec(options.Downsampling, options.SpectralSmoothness, options.SharedStride), options.Upsampling, options.KernelSize);
    }

    public override PlainValue[] Head(GraphBuilder graph, PlainValue output) =>
        [output, graph.Add(new PlainSoftmax(), output), graph.Add(new PlainArgMax(), output)];

    public override OnnxExportOptions ScoringExportOptions(PlainGraph graph, string pixelColumn) => new()
    {
        InputName = pixelColumn,
        OutputNames = [LogitsColumnName, ProbabilitiesColumnName, ClassesColumnName],
        BatchSize = 1,
        FixedSize = true,
        ClassNameOutputs = [new ClassNameOutput(2, ClassNamesColumnName, ClassNames)],
    };

    public override TransformerChain<ITransformer> ScoringChain(IHostEnvironment environment, MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath) =>
        SegmentationScoring.Create(mlContext, data, preprocessing, onnxPath, options, ClassNames);

    public override SchemaShape OutputSchema(SchemaShape inputSchema)
    {
        foreach (var (name, role) in new[] { (options.ImageColumnName, "Image"), (options.MaskColumnName, "Mask") })
        {
            if (!inputSchema.Any(c => c.Name == name))
            {
                throw new ArgumentException($"{role} column '{name}' was not found in the input schema.", nameof(inputSchema));
            }
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[options.PredictedMaskColumnName] = OutputShape.Column(options.PredictedMaskColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.UInt32, isKey: true, "KeyValues");
        if (options.ScoreColumnName is { } score)
        {
            columns[score] = OutputShape.Column(score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, isKey: false);
        }

        return new SchemaShape(columns.Values);
    }

    public override string Describe(ImageTensorDataset data) => $"{ClassCount} classes";
}
