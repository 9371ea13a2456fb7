using Microsoft.ML.Reparam.Onnx;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// Pixel shuffle (sub-pixel upsampling): [C · r², H, W] → [C, H · r, W · r], where output pixel (c, h · r + i, w · r + j)
/// reads input channel c · r² + i · r + j at (h, w), exactly as PyTorch's pixel_shuffle.
/// </summary>
/// <param name="BlockSize">The upscale factor r.</param>
public sealed record PlainDepthToSpace(int BlockSize) : PlainOp
{
    internal override int? Reach => 0;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        var input = RequireMap(inputs[0]);
        var block = BlockSize * BlockSize;
        if (BlockSize < 1 || input.Channels % block != 0)
        {
            throw new ArgumentException($"{nameof(PlainDepthToSpace)} with block size {BlockSize} takes a feature map whose channels are a multiple of {block}; got {input}.");
        }

        return new PlainShape(input.Channels / block, input.Height * BlockSize, input.Width * BlockSize);
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights) => nn.functional.pixel_shuffle(inputs[0], BlockSize);

    // ONNX's default mode "DCR" reads channel (i · r + j) · C + c, which differs from pixel_shuffle whenever C > 1;
    // "CRD" (opset 11 and later) is pixel_shuffle's channel order.
    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) =>
        onnx.Node("DepthToSpace", [inputs[0]], Int("blocksize", BlockSize), Text("mode", "CRD"));
}
