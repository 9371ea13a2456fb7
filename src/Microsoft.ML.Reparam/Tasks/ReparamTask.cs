using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks;

/// <summary>
/// What a task (classification, segmentation, restoration) supplies to the one fit pipeline (<see cref="ReparamFit"/>):
/// how its targets are read and checked, its network, its loss and metric, the head appended to the deployed graph,
/// and the stock ML.NET scoring chain with its output schema. A new task adds a folder under <c>Tasks/</c> with a
/// subclass; the pipeline does not change.
/// </summary>
internal abstract class ReparamTask
{
    /// <summary>Gets the name used in logs and errors, for example "ReparamConv".</summary>
    public abstract string Name { get; }

    /// <summary>Gets the loss and metric the network trains with (the metric picks the best epoch).</summary>
    public abstract ITrainingObjective Objective { get; }

    /// <summary>Gets the names of the exported graph's outputs for other runtimes (<c>SaveOnnx</c>), one per output of <see cref="Head"/>.</summary>
    public abstract IReadOnlyList<string> PortableOutputNames { get; }

    /// <summary>
    /// Reads the training images and targets and makes the preprocessing the scoring chains start with; by default the
    /// images are resized to the model's size and the targets read by <see cref="TargetReader"/>.
    /// </summary>
    public virtual ImageInput ReadImages(MLContext mlContext, IDataView input, ReparamTrainerOptions options) =>
        ImageColumnReader.Read(mlContext, input, options, TargetReader(input.Schema));

    /// <summary>Returns the graph ML.NET scores with: by default the deployed graph itself; a task may fix another size or add outputs its chain needs.</summary>
    public virtual PlainGraph ScoringGraph(PlainGraph graph) => graph;

    /// <summary>Checks the target columns and returns their reader.</summary>
    public abstract ITargetReader TargetReader(DataViewSchema schema);

    /// <summary>Builds the network to train for images of <paramref name="input"/>'s shape.</summary>
    public abstract nn.Module<Tensor, Tensor> CreateNetwork(ImageTensorDataset input);

    /// <summary>
    /// Appends the task's deployed head to the folded network's output and returns the graph outputs; the first is
    /// the network's own output (the fold check compares it with the trained network).
    /// </summary>
    public abstract PlainValue[] Head(GraphBuilder graph, PlainValue output);

    /// <summary>
    /// Returns how the model ML.NET scores with is exported: one image of the trained size, read from
    /// <paramref name="pixelColumn"/>, with output names the scoring chain reads (the fit's check compares every
    /// float output with the folded graph).
    /// </summary>
    public abstract OnnxExportOptions ScoringExportOptions(PlainGraph graph, string pixelColumn);

    /// <summary>
    /// Builds the stock ML.NET transformers that score the exported ONNX model: <paramref name="preprocessing"/>, then
    /// ONNX Runtime, then the task's outputs; <paramref name="data"/> gives the input schema.
    /// </summary>
    public abstract TransformerChain<ITransformer> ScoringChain(IHostEnvironment environment, MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath);

    /// <summary>Returns <paramref name="inputSchema"/> with the task's output columns, or throws naming a missing input column.</summary>
    public abstract SchemaShape OutputSchema(SchemaShape inputSchema);

    /// <summary>Describes the data for the log, for example "10 classes".</summary>
    public abstract string Describe(ImageTensorDataset data);
}
