using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Plain;

/// <summary>Runs a <see cref="PlainSpectralResize"/> in TorchSharp: two matrix products, no FFT.</summary>
internal sealed class SpectralResizeModule : nn.Module<Tensor, Tensor>
{
    private readonly Tensor _rows;
    private readonly Tensor _columnsTransposed;

    public SpectralResizeModule(PlainSpectralResize layer)
        : base(nameof(SpectralResizeModule))
    {
        _rows = tensor(layer.Rows).reshape(layer.OutHeight, layer.InHeight);
        _columnsTransposed = tensor(layer.Columns).reshape(layer.OutWidth, layer.InWidth).t().contiguous();
        register_buffer("rows", _rows);
        register_buffer("columns_t", _columnsTransposed);
    }

    public override Tensor forward(Tensor input) => _rows.matmul(input).matmul(_columnsTransposed);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rows.Dispose();
            _columnsTransposed.Dispose();
        }

        base.Dispose(disposing);
    }
}
