using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// Batch normalization over [N, C, H, W] with the parameters, buffers, names, defaults and numbers of TorchSharp's
/// <c>BatchNorm2d</c> (momentum 0.1, ε = 1e-5, γ = 1, β = 0), whose native calls hold their scalars: TorchSharp
/// 0.107's own counts batches with a <see cref="TorchSharp.Scalar"/> made by an implicit conversion, which the collector
/// can free during the call (docs/training.md, "Native calls").
/// </summary>
internal sealed class BatchNormalization : nn.Module<Tensor, Tensor>
{
    /// <summary>The weight of the current batch in the running statistics.</summary>
    public const double Momentum = 0.1;

    /// <summary>The ε added to the variance.</summary>
    public const double Epsilon = 1e-5;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    [ComponentName(Name = "running_mean")]
    private readonly Tensor _runningMean;

    [ComponentName(Name = "running_var")]
    private readonly Tensor _runningVariance;

    [ComponentName(Name = "num_batches_tracked")]
    private readonly Tensor _batchesTracked;

    /// <summary>Initializes a new instance of the <see cref="BatchNormalization"/> class.</summary>
    /// <param name="channels">The number of channels C.</param>
    public BatchNormalization(long channels)
        : base(nameof(BatchNormalization))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        // The module owns these: a dispose scope around the model's construction must not free them.
        _weight = (Parameter)new Parameter(ones(channels)).DetachFromDisposeScope();
        _bias = (Parameter)new Parameter(zeros(channels)).DetachFromDisposeScope();
        _runningMean = zeros(channels).DetachFromDisposeScope();
        _runningVariance = ones(channels).DetachFromDisposeScope();
        _batchesTracked = tensor(0L).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>Gets the scale γ.</summary>
    public Parameter Weight => _weight;

    /// <summary>Gets the shift β.</summary>
    public Parameter Bias => _bias;

    /// <summary>Gets the running mean μ.</summary>
    public Tensor RunningMean => _runningMean;

    /// <summary>Gets the running variance σ².</summary>
    public Tensor RunningVariance => _runningVariance;

    /// <summary>Gets the number of training batches seen (an int64 scalar tensor).</summary>
    public Tensor BatchesTracked => _batchesTracked;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4)
        {
            throw new ArgumentException($"Batch normalization expects [N, C, H, W] input, got [{string.Join(", ", input.shape)}].", nameof(input));
        }

        if (training)
        {
            _batchesTracked.add_(HeldScalars.One, HeldScalars.One);
        }

        return nn.functional.batch_norm(input, _runningMean, _runningVariance, _weight, _bias, training, Momentum, Epsilon);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _weight.Dispose();
            _bias.Dispose();
            _runningMean.Dispose();
            _runningVariance.Dispose();
            _batchesTracked.Dispose();
        }

        base.Dispose(disposing);
    }
}
