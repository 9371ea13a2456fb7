using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Onnx;

/// <summary>An ONNX model run by ONNX Runtime behind the module interface, so the metrics that evaluate networks evaluate it too (the INT8 model's metric).</summary>
internal sealed class OnnxModule : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;

    /// <summary>Initializes a new instance of the <see cref="OnnxModule"/> class; its forward pass returns the model's first output.</summary>
    /// <param name="model">A serialized ONNX model with one float input [N, C, H, W] and a float first output.</param>
    /// <param name="optimize">
    /// Whether ONNX Runtime optimizes the graph (the default, as deployed: QDQ groups become integer kernels); without,
    /// every node runs as the ONNX specification defines it — the reference a quantized model's kernels are checked against.
    /// </param>
    public OnnxModule(byte[] model, bool optimize = true)
        : base(nameof(OnnxModule))
    {
        using var options = new SessionOptions { GraphOptimizationLevel = optimize ? GraphOptimizationLevel.ORT_ENABLE_ALL : GraphOptimizationLevel.ORT_DISABLE_ALL };
        _session = new InferenceSession(model, options);
        _inputName = _session.InputNames.Single();
        _outputName = _session.OutputNames[0];
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var contiguous = input.cpu().contiguous();
        using var value = OrtValue.CreateTensorValueFromMemory(contiguous.data<float>().ToArray(), contiguous.shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [value], [_outputName]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        return tensor(outputs[0].GetTensorDataAsSpan<float>().ToArray(), shape).to(input.device).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _session.Dispose();
        }

        base.Dispose(disposing);
    }
}
