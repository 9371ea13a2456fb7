using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Plain;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Folding;

/// <summary>
/// The plain operation of each standard TorchSharp layer the walker meets. A layer with a setting the operation cannot
/// express (padding on a pool, a non-square kernel, "same" padding) is refused with a message naming the setting,
/// never folded approximately.
/// </summary>
internal static class StandardLayers
{
    public static PlainOp PlainForm(nn.Module<Tensor, Tensor> module) => module switch
    {
        Conv2d conv => Conv(conv),
        ReLU => new PlainRelu(),
        ParametricRelu prelu => new PlainPrelu(GraphFolder.ToArray(prelu.Weight)),
        PReLU prelu => new PlainPrelu(GraphFolder.ToArray(prelu.weight!)),
        LeakyReLU leaky => new PlainLeakyRelu((float)leaky.negative_slope),

        // TorchSharp 0.107's out-of-place Tensor.hardtanh discards the clamped result and returns its input, so
        // Hardtanh(inplace: false) computes the identity; folding it to a clip would not match the network.
        Hardtanh { inplace: true } hardtanh => new PlainClip((float)hardtanh.min_val, (float)hardtanh.max_val),
        Hardtanh hardtanh => throw new NotSupportedException($"Hardtanh({hardtanh.min_val}, {hardtanh.max_val}) with inplace: false does not clamp in TorchSharp (its out-of-place hardtanh returns the input unchanged), so it has no faithful plain form; use Hardtanh(inplace: true)."),
        PixelShuffle shuffle => new PlainDepthToSpace((int)shuffle.upscale_factor),
        AvgPool2d pool => Pool(PlainPoolKind.Average, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? [0], [1], pool.ceil_mode, pool.divisor_override is null ? null : $"divisor_override {pool.divisor_override}"),
        MaxPool2d pool => Pool(PlainPoolKind.Max, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? [0], pool.dilation ?? [1], pool.ceil_mode, null),
        AdaptiveAvgPool2d pool when pool.output_size.All(size => size == 1) => new PlainGlobalAveragePool(),
        Linear linear => new PlainLinear(GraphFolder.ToArray(linear.weight!), linear.bias is null ? new float[linear.weight!.shape[0]] : GraphFolder.ToArray(linear.bias), (int)linear.weight!.shape[0], (int)linear.weight.shape[1]),
        _ => throw new NotSupportedException($"Layer '{module.GetType().Name}' has no plain form: implement {nameof(IReparamBlock)} or {nameof(IFoldable)}."),
    };

    private static PlainConv Conv(Conv2d conv)
    {
        var weight = conv.weight!;
        var (kernel, stride, padding, dilation) = (conv.kernel_size, conv.stride, conv.padding ?? [0, 0], conv.dilation);
        if (conv.padding_type is not null || kernel[0] != kernel[1] || stride[0] != stride[1] || padding[0] != padding[1] || dilation[0] != dilation[1] || conv.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"Only square convolutions with symmetric, explicit zero padding fold (got kernel {kernel[0]}x{kernel[1]}, stride {stride[0]}x{stride[1]}, padding {(conv.padding_type is { } type ? type.ToString() : $"{padding[0]}x{padding[1]}")}, dilation {dilation[0]}x{dilation[1]}, mode {conv.padding_mode}).");
        }

        var outChannels = (int)weight.shape[0];
        return new PlainConv(GraphFolder.ToArray(weight), conv.bias is null ? new float[outChannels] : GraphFolder.ToArray(conv.bias), outChannels, (int)weight.shape[1], (int)kernel[0], (int)stride[0], (int)padding[0], (int)conv.groups, (int)dilation[0]);
    }

    private static PlainPool Pool(PlainPoolKind kind, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceilMode, string? other)
    {
        if (kernel.Distinct().Count() != 1 || stride.Distinct().Count() != 1 || padding.Any(p => p != 0) || dilation.Any(d => d != 1) || ceilMode || other is not null)
        {
            throw new NotSupportedException($"Only square {kind.ToString().ToLowerInvariant()} pools without padding, dilation or ceil mode fold (got kernel {string.Join("x", kernel)}, stride {string.Join("x", stride)}, padding {string.Join("x", padding)}, dilation {string.Join("x", dilation)}, ceil_mode {ceilMode}{(other is null ? string.Empty : $", {other}")}).");
        }

        return new PlainPool(kind, (int)kernel[0], (int)stride[0]);
    }
}
