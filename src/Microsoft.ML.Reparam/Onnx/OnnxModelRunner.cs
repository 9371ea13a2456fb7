using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>Runs an exported single-input model in ONNX Runtime (fold checks, latency measurements).</summary>
internal sealed class OnnxModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;

    /// <summary>Initializes a new instance of the <see cref="OnnxModelRunner"/> class.</summary>
    /// <param name="model">Serialized ONNX model.</param>
    public OnnxModelRunner(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _session = new InferenceSession(model);
        _inputName = _session.InputMetadata.Keys.Single();
    }

    /// <summary>Runs the model on one input tensor.</summary>
    /// <param name="input">Input values, row-major.</param>
    /// <param name="shape">Input shape.</param>
    /// <param name="outputName">The output to return; the first when null.</param>
    /// <returns>The output's values, row-major.</returns>
    public float[] Run(float[] input, ReadOnlySpan<int> shape, string? outputName = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tensor = new DenseTensor<float>(input, shape);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)], [outputName ?? _session.OutputNames[0]]);
        return results[0].AsTensor<float>().ToArray();
    }

    /// <summary>Runs the model on one input tensor and returns the outputs at <paramref name="outputs"/> (positions in the model's output list).</summary>
    /// <param name="input">Input values, row-major.</param>
    /// <param name="shape">Input shape.</param>
    /// <param name="outputs">Which outputs, by position.</param>
    /// <returns>Each output's values, row-major.</returns>
    public float[][] RunOutputs(float[] input, ReadOnlySpan<int> shape, IReadOnlyList<int> outputs)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tensor = new DenseTensor<float>(input, shape);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)], [.. outputs.Select(o => _session.OutputNames[o])]);
        return [.. results.Select(result => result.AsTensor<float>().ToArray())];
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
