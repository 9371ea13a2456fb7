using Microsoft.ML.Reparam.Onnx;
using TorchSharp;
using static Microsoft.ML.Reparam.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>
/// Bicubic upsampling by an integer factor with Keys' kernel a = −0.5 (MATLAB's <c>imresize</c>; PyTorch and ONNX
/// default to −0.75), half-pixel sample positions and edge pixels repeated past the border (docs/restoration.md,
/// "Chroma"). Output pixel o reads input position (o + ½)/r − ½, so each of the r² sub-pixel phases is a fixed 5×5
/// kernel: the evaluation is an edge padding, a per-channel convolution and a pixel shuffle; ONNX runs its own Resize.
/// </summary>
/// <param name="Factor">The upscale factor r (2 or more).</param>
public sealed record PlainCubicUpsample(int Factor) : PlainOp
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, float[]> PhaseKernelsByFactor = new();

    /// <summary>Keys' cubic convolution kernel with a = −0.5 at distance <paramref name="x"/>.</summary>
    internal static double Kernel(double x)
    {
        x = Math.Abs(x);
        return x <= 1 ? (1.5 * x * x * x) - (2.5 * x * x) + 1 : x < 2 ? (-0.5 * x * x * x) + (2.5 * x * x) - (4 * x) + 2 : 0;
    }

    internal override int? Reach => 2;

    internal override PlainShape OutputShape(IReadOnlyList<PlainShape> inputs)
    {
        var input = RequireMap(inputs[0]);
        return Factor >= 2 ? new PlainShape(input.Channels, input.Height * Factor, input.Width * Factor) : throw new ArgumentException($"{nameof(PlainCubicUpsample)} needs a factor of 2 or more; got {Factor}.");
    }

    internal override Tensor Evaluate(IReadOnlyList<Tensor> inputs, PlainWeights weights)
    {
        var input = inputs[0];
        var channels = (int)input.shape[1];
        var phases = PhaseKernelsByFactor.GetOrAdd(Factor, PhaseKernels);
        var kernel = new float[channels * phases.Length];
        for (var c = 0; c < channels; c++)
        {
            phases.CopyTo(kernel, c * phases.Length);
        }

        var padded = nn.functional.pad(input, [2, 2, 2, 2], PaddingModes.Replicate);
        var shifted = nn.functional.conv2d(padded, tensor(kernel, dtype: input.dtype, device: input.device).reshape(channels * Factor * Factor, 1, 5, 5), groups: channels);
        return nn.functional.pixel_shuffle(shifted, Factor);
    }

    internal override string Emit(OnnxGraphBuilder onnx, IReadOnlyList<string> inputs) => onnx.Node(
        "Resize",
        [inputs[0], string.Empty, onnx.Constant("cubic_scales", [1, 1, Factor, Factor], 4)],
        Text("mode", "cubic"),
        Float("cubic_coeff_a", -0.5f),
        Text("coordinate_transformation_mode", "half_pixel"));

    /// <summary>The r² phase kernels [r·r, 5, 5] for one channel: phase (i, j) samples rows at offset tᵢ and columns at tⱼ.</summary>
    private static float[] PhaseKernels(int factor)
    {
        var taps = new double[factor][];
        for (var p = 0; p < factor; p++)
        {
            var t = ((2.0 * p) + 1 - factor) / (2.0 * factor); // sample position relative to the input pixel, in (−½, ½)
            taps[p] = [.. Enumerable.Range(-2, 5).Select(o => Kernel(o - t))];
        }

        var kernel = new float[factor * factor * 25];
        for (var i = 0; i < factor; i++)
        {
            for (var j = 0; j < factor; j++)
            {
                for (var y = 0; y < 5; y++)
                {
                    for (var x = 0; x < 5; x++)
                    {
                        kernel[((((i * factor) + j) * 5) + y) * 5 + x] = (float)(taps[i][y] * taps[j][x]);
                    }
                }
            }
        }

        return kernel;
    }
}
