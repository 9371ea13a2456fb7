using Microsoft.ML.Reparam.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// One operation of a deployed <see cref="PlainGraph"/>, defined once: its TorchSharp evaluation, its output-shape
/// rule and its ONNX emission live together in the operation's own file under <c>Plain/Ops</c>, so adding an
/// operation touches one place. Weights are plain arrays, independent of TorchSharp.
/// </summary>
public abstract record PlainOp
{
    /// <summary>Gets the number of stored values (weights, biases, matrices).</summary>
    public virtual long ParameterCount => 0;

    /// <summary>
    /// Gets a value indicating whether the operation only works at the input size it was folded for (the spectral-resize
    /// matrices). A graph with such an operation exports with a fixed size.
    /// </summary>
    public virtual bool FixesSize => false;

    /// <summary>Gets a value indicating whether the output is a choice (an arg-max) rather than a number that varies smoothly with the weights; fold checks compare what it is computed from.</summary>
    internal virtual bool IsDiscrete => false;

    /// <summary>Gets the number of inputs the operation takes.</summary>
    internal virtual int Arity => 1;

    /// <summary>
    /// Gets how many input pixels beyond an output pixel's own position it reads, on every side (a 3×3 convolution: 1), or
    /// null when the output depends on more than a neighbourhood (strides, pooling, global operations). Tiled processing
    /// needs it (docs/restoration.md, "Any size, in tiles").
    /// </summary>
    internal virtual int? Reach => null;

    /// <summary>Returns the output shape for the given input shapes, or throws naming the mismatch.</summary>
    internal abstract PlainShape OutputShape(IReadOnlyList<PlainShape> inputs);

    /// <summary>Evaluates the operation on [N, …] tensors; weight tensors come from <paramref name="weights"/>.</summary>
    internal abstract Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights);

    /// <summary>Appends the operation's ONNX nodes; returns the output value's name.</summary>
    internal abstract string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs);

    /// <summary>Throws unless every input is a feature map with <paramref name="channels"/> channels (any, when null).</summary>
    private protected PlainShape RequireMap(PlainShape input, int? channels = null)
    {
        if (input.IsVector || (channels is { } c && input.Channels != c))
        {
            throw new ArgumentException($"{GetType().Name} takes a feature map{(channels is { } expected ? $" with {expected} channels" : string.Empty)}; got {input}.");
        }

        return input;
    }
}
