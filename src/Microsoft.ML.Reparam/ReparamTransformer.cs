using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Quantization;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam;

/// <summary>
/// What every fitted Reparam model is: the folded plain CNN, scored through ONNX Runtime by stock ML.NET
/// transformers, with what the fit measured. Saving it (<c>mlContext.Model.Save</c>) writes those stock transformers,
/// so the model loads with Microsoft.ML, ImageAnalytics, OnnxTransformer and OnnxRuntime alone. Reading the caller's
/// in-memory images never disposes them.
/// </summary>
public abstract class ReparamTransformer : ITransformer, IDisposable
{
    private readonly TransformerChain<ITransformer> _saved;
    private readonly TransformerChain<ITransformer> _inProcess;
    private readonly string _imageColumn;
    private readonly bool _copiesImages;
    private bool _disposed;
    private readonly byte[] _onnxModel;
    private readonly byte[] _portableOnnx;
    private readonly string _onnxPath;
    private readonly ITransformer _inProcessPreprocessing;

    private protected ReparamTransformer(FitResult fit)
    {
        _saved = fit.Scoring;
        _inProcess = fit.InProcessScoring;
        _imageColumn = fit.ImageColumn;
        _copiesImages = fit.ImageCopyColumn is not null;
        _onnxModel = fit.Onnx;
        _portableOnnx = fit.PortableOnnx;
        _onnxPath = fit.OnnxPath;
        _inProcessPreprocessing = fit.Input.InProcessPreprocessing;
        Graph = fit.Graph;
        FoldReport = fit.FoldReport;
        Training = fit.Training;
        Reactivations = fit.Reactivations;
        Strides = fit.Strides;
        TrainedNetwork = fit.TrainedNetwork;
        Quantization = fit.Quantization;
    }

    /// <summary>Gets the deployed plain CNN: its graph takes pixels in [0, 1]; its first output is the network's (logits).</summary>
    public PlainGraph Graph { get; }

    /// <summary>
    /// Gets the trained (unfolded) network in eval mode when <see cref="ReparamTrainerOptions.RetainTrainedNetwork"/>
    /// was set, else null. Its input is the pixel tensor [N, C, H, W] scaled to [0, 1] and normalized with the
    /// options' InputMean and InputStd; it is disposed with this transformer.
    /// </summary>
    public nn.Module<Tensor, Tensor>? TrainedNetwork { get; }

    /// <summary>Gets the measured fold error on the network's output (folded vs trained network, eval mode).</summary>
    public FoldError FoldError => FoldReport.Fold;

    /// <summary>Gets the fold and ONNX-export errors measured by the fit.</summary>
    public FoldReport FoldReport { get; }

    /// <summary>Gets the training history and best epoch.</summary>
    public TrainingResult Training { get; }

    /// <summary>Gets the kernel reactivation events of training (empty when reactivation was off or never due).</summary>
    public IReadOnlyList<ReactivationEvent> Reactivations { get; }

    /// <summary>Gets the strides of the spectral downsampling layers as deployed (empty with strided convolution); learned with DiffStride.</summary>
    public IReadOnlyList<LearnedStride> Strides { get; }

    /// <summary>
    /// Gets what INT8 deployment measured when <see cref="ReparamTrainerOptions.Quantization"/> was set — the INT8
    /// network's metric beside the float one on the held-back images, and which operations run as integer kernels — or
    /// null for a float model. When set, the model scores, saves and exports (<see cref="SaveOnnx"/>) the INT8 network;
    /// <see cref="Graph"/> and <see cref="FoldReport"/> stay those of the float fold it was quantized from.
    /// </summary>
    public QuantizationReport? Quantization { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => ((ITransformer)_inProcess).IsRowToRowMapper;

    /// <summary>Gets the exported graph for other runtimes (symbolic sizes where the graph allows).</summary>
    private protected byte[] PortableOnnx => _portableOnnx;

    /// <summary>Gets the caller's image column.</summary>
    private protected string ImageColumnName => _imageColumn;

    /// <summary>Runs the fitted preprocessing (image column → pixel vector) on <paramref name="data"/>, over copies of its images.</summary>
    private protected IDataView InProcessPreprocess(IDataView data) =>
        _inProcessPreprocessing.Transform(_copiesImages ? CallerImageCopies.With(data, _imageColumn) : data);

    /// <summary>Returns a copy of the ONNX model the transformer scores with: one image [1, C, H, W] of the trained size.</summary>
    /// <returns>The serialized ONNX model.</returns>
    public byte[] GetOnnxModel() => (byte[])_onnxModel.Clone();

    /// <summary>
    /// Writes the deployed graph as ONNX for other runtimes — the model the fit checked against the folded graph on its
    /// held-back images: input "input", pixels [N, C, H, W] scaled to [0, 1], with a symbolic batch and, unless an
    /// operation fixes the size (spectral downsampling), symbolic height and width (docs/onnx.md).
    /// </summary>
    /// <remarks>The file is written atomically: an existing file is replaced only by a complete new one.</remarks>
    /// <param name="path">The .onnx file to write.</param>
    public void SaveOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, _portableOnnx);
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _saved.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    /// <remarks>ML.NET's image transforms read copies of the caller's in-memory images: scoring never disposes them, and the output's image column holds the caller's own images.</remarks>
    public IDataView Transform(IDataView input)
    {
        ThrowIfDisposed();
        return _copiesImages ? _inProcess.Transform(CallerImageCopies.With(input, _imageColumn)) : _saved.Transform(input);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ThrowIfDisposed();
        return _copiesImages
            ? CallerImageCopies.With(inputSchema, _imageColumn, ((ITransformer)_inProcess).GetRowToRowMapper)
            : ((ITransformer)_saved).GetRowToRowMapper(inputSchema);
    }

    /// <summary>Saves the stock ML.NET transformers that make up the model (not this class), so that loading needs no library of ours.</summary>
    /// <param name="ctx">The save context.</param>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ThrowIfDisposed();
        ((ICanSaveModel)_saved).Save(ctx);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _saved.Dispose();
        if (_inProcess != _saved)
        {
            _inProcess.Dispose();
        }

        TrainedNetwork?.Dispose();
        DisposeResources();
        try
        {
            File.Delete(_onnxPath);
        }
        catch (IOException)
        {
            // A file still mapped by ONNX Runtime on some platforms; the temp folder is cleaned by the OS.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Throws when the model was disposed, saying how that happens unnoticed: a prediction engine disposes the model it was made from unless told otherwise.</summary>
    private protected void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw new ObjectDisposedException(GetType().Name, $"This {GetType().Name} was disposed. Note that ML.NET's prediction engines dispose the model they were made from when they are disposed, unless created with new PredictionEngineOptions {{ OwnsTransformer = false }}.");
        }
    }

    /// <summary>Releases what a task's transformer holds besides the chains.</summary>
    private protected virtual void DisposeResources()
    {
    }
}
