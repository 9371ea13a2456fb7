using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Torch;

/// <summary>
/// One forward and backward pass of a model, kept for comparison: its output and the gradient of every parameter
/// for the loss Σ output·w with w seeded (so two passes weigh the output alike). The parameters' gradients are set
/// to zero afterwards; the model's weights and statistics are not changed in eval mode.
/// </summary>
internal sealed class ModelPass : IDisposable
{
    private readonly List<Tensor> _values = [];

    public ModelPass(nn.Module<Tensor, Tensor> model, Tensor batch)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var output = model.forward(batch);
        var weights = randn(output.shape, generator: generator);
        (output * weights).sum().backward();
        _values.Add(output.detach().clone().MoveToOuterDisposeScope());
        foreach (var parameter in model.parameters())
        {
            using var grad = parameter.grad;
            if (grad is not null)
            {
                _values.Add(grad.clone().MoveToOuterDisposeScope());
                grad.zero_();
            }
        }
    }

    /// <summary>The largest of max |a − b| / max |b| over the output and the gradients (NaN if any value is NaN).</summary>
    public double RelativeDifference(ModelPass reference)
    {
        using var scope = NewDisposeScope();
        var worst = 0.0;
        foreach (var (mine, theirs) in _values.Zip(reference._values))
        {
            var scale = theirs.abs().max().item<float>();
            var difference = (mine - theirs).abs().max().item<float>();
            var relative = scale > 0 ? difference / scale : difference;
            worst = float.IsNaN(relative) ? double.NaN : Math.Max(worst, relative);
            if (double.IsNaN(worst))
            {
                return worst;
            }
        }

        return worst;
    }

    public void Dispose() => _values.ForEach(value => value.Dispose());
}
