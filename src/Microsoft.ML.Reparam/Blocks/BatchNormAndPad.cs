using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// Batch norm followed by padding with the batch norm's own output for a zero input, β − μγ/σ (running statistics),
/// per channel. A 1×1 convolution of a zero-padded input gives exactly that value on the border, so the padded
/// map equals the one a K×K convolution with padding K/2 would see, and the 1×1 → K×K sequence folds exactly
/// (docs/folding.md, F5).
/// </summary>
internal sealed class BatchNormAndPad : nn.Module<Tensor, Tensor>
{
    private readonly BatchNormalization _norm;
    private readonly int _padding;

    /// <summary>Initializes a new instance of the <see cref="BatchNormAndPad"/> class.</summary>
    /// <param name="channels">Channels.</param>
    /// <param name="padding">Pixels added on each side.</param>
    public BatchNormAndPad(int channels, int padding)
        : base(nameof(BatchNormAndPad))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _norm = new BatchNormalization(channels);
        _padding = padding;
        RegisterComponents();
    }

    /// <summary>Gets the batch norm.</summary>
    public BatchNormalization Norm => _norm;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = _norm.forward(input);
        if (_padding == 0)
        {
            return output.MoveToOuterDisposeScope();
        }

        var shift = KernelAlgebra.BatchNormAffine(_norm).Shift.reshape(1, -1, 1, 1);
        return (nn.functional.pad(output - shift, [_padding, _padding, _padding, _padding]).Plus(shift)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _norm.Dispose();
        }

        base.Dispose(disposing);
    }
}
