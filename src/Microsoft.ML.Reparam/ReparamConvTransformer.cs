using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tasks.Classification;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The fitted model: the folded plain CNN, scored through ONNX Runtime by stock ML.NET transformers. Saving it
/// (<c>mlContext.Model.Save</c>) writes those stock transformers, so the model loads with Microsoft.ML,
/// ImageAnalytics, OnnxTransformer and OnnxRuntime alone. Outputs: the score column (softmax probabilities) and
/// the predicted-label column, a key with the label's key values, both made by ML.NET's own multiclass scorer.
/// </summary>
public sealed class ReparamConvTransformer : ITransformer, IDisposable
{
    private readonly TransformerChain<ITransformer> _scoring;
    private readonly byte[] _onnxModel;
    private readonly string _onnxPath;
    private readonly ITransformer _preprocessing;
    private readonly ReparamConvTrainerOptions _options;

    internal ReparamConvTransformer(FitResult fit, IReadOnlyList<string> classNames, ReparamConvTrainerOptions options)
    {
        _scoring = fit.Scoring;
        _onnxModel = fit.Onnx;
        _onnxPath = fit.OnnxPath;
        _preprocessing = fit.Input.Preprocessing;
        _options = options;
        Graph = fit.Graph;
        FoldReport = fit.FoldReport;
        Training = fit.Training;
        Reactivations = fit.Reactivations;
        Strides = fit.Strides;
        TrainedNetwork = fit.TrainedNetwork;
        ClassNames = classNames;
    }

    /// <summary>Gets the deployed plain CNN: its graph takes pixels in [0, 1] and outputs logits and class probabilities.</summary>
    public PlainGraph Graph { get; }

    /// <summary>
    /// Gets the trained (unfolded) network in eval mode when <see cref="ReparamTrainerOptions.RetainTrainedNetwork"/>
    /// was set, else null. Its input is the pixel tensor [N, C, H, W] scaled to [0, 1] and normalized with the
    /// options' InputMean and InputStd; it is disposed with this transformer.
    /// </summary>
    public nn.Module<Tensor, Tensor>? TrainedNetwork { get; }

    /// <summary>Gets the measured fold error on logits (folded vs trained network, eval mode).</summary>
    public FoldError FoldError => FoldReport.Fold;

    /// <summary>Gets the fold and ONNX-export errors measured by the fit.</summary>
    public FoldReport FoldReport { get; }

    /// <summary>Gets the training history and best epoch.</summary>
    public TrainingResult Training { get; }

    /// <summary>Gets the kernel reactivation events of training (empty when reactivation was off or never due).</summary>
    public IReadOnlyList<ReactivationEvent> Reactivations { get; }

    /// <summary>Gets the strides of the spectral downsampling layers as deployed (empty with strided convolution); learned with DiffStride.</summary>
    public IReadOnlyList<LearnedStride> Strides { get; }

    /// <summary>Gets the class names (the label's key values), indexed like the score vector.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => ((ITransformer)_scoring).IsRowToRowMapper;

    /// <summary>Returns a copy of the ONNX model the transformer scores with: one image [1, C, H, W] of the trained size, outputs logits and probabilities.</summary>
    /// <returns>The serialized ONNX model.</returns>
    public byte[] GetOnnxModel() => (byte[])_onnxModel.Clone();

    /// <summary>
    /// Writes the deployed graph as ONNX for other runtimes: input "input", pixels [N, C, H, W] scaled to [0, 1], with a
    /// symbolic batch and, unless an operation fixes the size (spectral downsampling), symbolic height and width;
    /// outputs "logits" and "probabilities" [N, classes].
    /// </summary>
    /// <param name="path">The .onnx file to write.</param>
    public void SaveOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        OnnxExporter.Save(Graph, new OnnxExportOptions { OutputNames = ["logits", "probabilities"] }, path);
    }

    /// <summary>
    /// Returns the images of <paramref name="data"/> as the network sees them — through the same fitted ML.NET
    /// preprocessing the saved model carries — with their labels, for evaluating <see cref="TrainedNetwork"/> or the
    /// ONNX model directly.
    /// </summary>
    /// <param name="data">Rows with the image and label columns the trainer was fitted on.</param>
    /// <returns>Pixels scaled to [0, 1], planar [N, C, H, W], and class indices.</returns>
    public ImageTensorDataset PreprocessImages(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        InputSchemaCheck.ClassNames(data.Schema, _options.LabelColumnName);
        return ImageColumnReader.ReadRows(_preprocessing.Transform(CallerImageCopies.Of(data)), _options, new ClassLabelReader(_options.LabelColumnName, ClassNames.Count), Graph.InputShape.Height, Graph.InputShape.Width);
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scoring.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    /// <remarks>The caller's in-memory images are read as copies: scoring never disposes them.</remarks>
    public IDataView Transform(IDataView input) => _scoring.Transform(CallerImageCopies.Of(input));

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => CallerImageCopies.Of(((ITransformer)_scoring).GetRowToRowMapper(inputSchema));

    /// <summary>Saves the stock ML.NET transformers that make up the model (not this class), so that loading needs no library of ours.</summary>
    /// <param name="ctx">The save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)_scoring).Save(ctx);

    /// <inheritdoc />
    public void Dispose()
    {
        _scoring.Dispose();
        TrainedNetwork?.Dispose();
        try
        {
            File.Delete(_onnxPath);
        }
        catch (IOException)
        {
            // A file still mapped by ONNX Runtime on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
