using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>How <see cref="PlainResize"/> interpolates.</summary>
public enum PlainResizeMode
{
    /// <summary>Nearest neighbour: output pixel i reads input pixel ⌊i · in / out⌋ (PyTorch's "nearest").</summary>
    Nearest,

    /// <summary>Bilinear with half-pixel centres (PyTorch's align_corners = false).</summary>
    Bilinear,
}

/// <summary>
/// Resizes a feature map to the height and width of a second value (the skip input of a U-Net decoder stage), so the
/// graph runs at any input size, odd ones included; the second input supplies only its size.
/// </summary>
/// <param name="Mode">The interpolation.</param>
public sealed record PlainResize(PlainResizeMode Mode) : PlainOp
{
    internal override int Arity => 2;

    internal override int? Reach => Mode == PlainResizeMode.Nearest ? 0 : null; // bilinear's reach depends on the ratio

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs) =>
        RequireMap(inputs[0]) with { Height = RequireMap(inputs[1]).Height, Width = inputs[1].Width };

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => nn.functional.interpolate(
        inputs[0],
        size: [inputs[1].shape[2], inputs[1].shape[3]],
        mode: Mode == PlainResizeMode.Nearest ? InterpolationMode.Nearest : InterpolationMode.Bilinear,
        align_corners: Mode == PlainResizeMode.Nearest ? null : false);

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs)
    {
        // sizes = [N, C of the input, H, W of the reference]
        var batchAndChannels = onnx.Node("Shape", [inputs[0]], Int("start", 0), Int("end", 2));
        var heightAndWidth = onnx.Node("Shape", [inputs[1]], Int("start", 2), Int("end", 4));
        var sizes = onnx.Node("Concat", [batchAndChannels, heightAndWidth], Int("axis", 0));
        return Mode == PlainResizeMode.Nearest
            ? onnx.Node("Resize", [inputs[0], string.Empty, string.Empty, sizes], Text("mode", "nearest"), Text("coordinate_transformation_mode", "asymmetric"), Text("nearest_mode", "floor"))
            : onnx.Node("Resize", [inputs[0], string.Empty, string.Empty, sizes], Text("mode", "linear"), Text("coordinate_transformation_mode", "pytorch_half_pixel"));
    }
}
