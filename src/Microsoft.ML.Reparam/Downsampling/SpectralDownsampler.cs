using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>
/// Downsampling by cropping in the Fourier domain (docs/diffstride.md): rfft2 of the input, a separable ramp mask set by
/// the strides (D1–D2), crop to the mask's support, irfft2. The stride may be fractional; the output is about
/// H/S + 2R by W/S + 2R. For a fixed input size the layer is the real map Y = A·X·Bᵀ (D4), which is its deployed form.
/// </summary>
internal abstract class SpectralDownsampler : nn.Module<Tensor, Tensor>, IFoldable
{
    private readonly Parameter _strides;

    /// <summary>Initializes a new instance of the <see cref="SpectralDownsampler"/> class.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="options">Initial strides, smoothness and whether the two axes share one stride.</param>
    /// <param name="trainable">Whether the strides are learned.</param>
    protected SpectralDownsampler(string name, SpectralDownsamplerOptions options, bool trainable)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Smoothness = options.Smoothness;
        SharedStride = options.SharedStride;
        double[] initial = options.SharedStride ? [options.StrideHeight] : [options.StrideHeight, options.StrideWidth];
        _strides = new Parameter(tensor(initial, float32), requires_grad: trainable);
        RegisterComponents();
    }

    /// <summary>Gets the ramp width R of the mask, in frequency bins.</summary>
    public double Smoothness { get; }

    /// <summary>Gets a value indicating whether height and width share one stride.</summary>
    public bool SharedStride { get; }

    /// <summary>Gets the raw stride parameter, [1] when shared, else [height, width].</summary>
    public Parameter StrideParameter => _strides;

    /// <summary>Returns the strides used for an input of the given size: the parameter clamped to [max(1, n/(n − R)), n] (D3).</summary>
    /// <param name="height">Input height.</param>
    /// <param name="width">Input width.</param>
    /// <returns>The effective (height, width) strides.</returns>
    public (double Height, double Width) EffectiveStrides(int height, int width)
    {
        using var noGrad = no_grad();
        using var strides = _strides.detach().cpu().to(float64);
        var values = strides.data<double>().ToArray();
        return (Clamp(values[0], height), Clamp(values[^1], width));
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4)
        {
            throw new ArgumentException($"Spectral downsampling expects [N, C, H, W]; got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        using var scope = NewDisposeScope();
        var (height, width) = ((int)input.shape[2], (int)input.shape[3]);
        Project(height, width);
        var strides = _strides.to(input.dtype);
        var (rows, rowRamp) = Plan(height, strides[0], widthAxis: false);
        var (columns, columnRamp) = Plan(width, strides[strides.shape[0] - 1], widthAxis: true);
        var kept = columns.NonNegativeCount;
        var mask = rowRamp.unsqueeze(1) * columnRamp.narrow(0, 0, kept).unsqueeze(0);
        var spectrum = fft.rfft2(input, norm: FFTNormType.Forward)
            .index_select(2, tensor(rows.Indices, device: input.device))
            .narrow(3, 0, kept);
        return fft.irfft2(spectrum * mask, s: [rows.OutputSize, columns.OutputSize], norm: FFTNormType.Forward).MoveToOuterDisposeScope();
    }

    /// <summary>Returns the layer's deployed form for an input of <paramref name="input"/>'s size: Y = A·X·Bᵀ (D4).</summary>
    internal PlainSpectralResize PlainForm(PlainShape input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (strideHeight, strideWidth) = EffectiveStrides(input.Height, input.Width);
        var strides = tensor(new[] { (float)strideHeight, (float)strideWidth });
        var (rows, rowRamp) = Plan(input.Height, strides[0], widthAxis: false);
        var (columns, columnRamp) = Plan(input.Width, strides[1], widthAxis: true);
        return new PlainSpectralResize(rows.Matrix(Doubles(rowRamp)), columns.Matrix(Doubles(columnRamp)), rows.OutputSize, input.Height, columns.OutputSize, input.Width);
    }

    PlainValue IFoldable.Fold(GraphFolder folder, PlainValue input) => folder.Builder.Add(PlainForm(input.Shape), input);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _strides.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Projects the strides onto [max(1, n/(n − R)), n] for this input (D3) in place, before they are used, so that a
    /// stride at its bound still receives a gradient (a clamp inside the graph would zero it and freeze the stride).
    /// </summary>
    private void Project(int height, int width)
    {
        using var noGrad = no_grad();
        if (SharedStride)
        {
            _strides.ClampInPlace(Math.Max(LowerBound(height), LowerBound(width)), Math.Min(height, width));
        }
        else
        {
            _strides[0].ClampInPlace(LowerBound(height), height);
            _strides[1].ClampInPlace(LowerBound(width), width);
        }
    }

    private double LowerBound(int size) => size > Smoothness ? Math.Max(1, size / (size - Smoothness)) : 1;

    private double Clamp(double stride, int size) => Math.Clamp(stride, LowerBound(size), size);

    /// <summary>
    /// One axis of the layer, shared by the training pass and the deployed matrices: the threshold T (D2), the crop it
    /// implies (D3, from the detached value) and the ramp m(f) = clip((R + T − |f|)/R, 0, 1) on the kept frequencies.
    /// </summary>
    private (SpectralAxis Axis, Tensor Ramp) Plan(int size, Tensor stride, bool widthAxis)
    {
        var threshold = stride.reciprocal().Times(size).AtLeast(2).DividedBy(2);
        if (widthAxis)
        {
            threshold = threshold.Plus(1);
        }

        var axis = SpectralAxis.Crop(size, Smoothness + threshold.ToDouble());
        var distance = tensor(axis.Frequencies.Select(f => (float)Math.Abs(f)).ToArray(), stride.dtype, stride.device);
        return (axis, (threshold.Plus(Smoothness) - distance).DividedBy(Smoothness).Clamped(0, 1));
    }

    private static double[] Doubles(Tensor values) => values.to(float64).data<double>().ToArray();
}
