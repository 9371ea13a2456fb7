using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Optimizers;

/// <summary>
/// SGD with momentum μ and L2 weight decay λ, TorchSharp's and PyTorch's update without dampening or Nesterov:
/// g ← g + λθ; b ← g on the first step, else b ← μb + g; θ ← θ − η·b.
/// </summary>
internal sealed class SgdMomentumOptimizer : TrainingOptimizer
{
    private readonly Scalar _momentum;
    private readonly Tensor?[] _buffers;

    /// <summary>Initializes a new instance of the <see cref="SgdMomentumOptimizer"/> class.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="learningRate">The first learning rate.</param>
    /// <param name="momentum">The momentum μ.</param>
    public SgdMomentumOptimizer(IReadOnlyList<ParameterGroup> groups, double learningRate, double momentum)
        : base(groups, learningRate)
    {
        _momentum = momentum.ToScalar();
        _buffers = new Tensor?[Parameters.Count()];
    }

    /// <inheritdoc />
    protected override void Update(int index, Parameter parameter, Tensor grad, double weightDecay)
    {
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            grad = grad.add(parameter, decay);
        }

        if (_buffers[index] is not { } buffer)
        {
            _buffers[index] = buffer = grad.clone().detach().DetachFromDisposeScope();
        }
        else
        {
            buffer.mul_(_momentum).add_(grad, HeldScalars.One);
        }

        using var negativeRate = (-LearningRate).ToScalar();
        parameter.add_(buffer, negativeRate);
    }

    /// <inheritdoc />
    protected override void WriteState(CheckpointWriter writer, int index, string prefix)
    {
        if (_buffers[index] is { } buffer)
        {
            writer.Add($"{prefix}/momentum", buffer);
        }
    }

    /// <inheritdoc />
    protected override void RestoreState(CheckpointReader reader, int index, string prefix, Parameter parameter)
    {
        if (!reader.Contains($"{prefix}/momentum"))
        {
            return;
        }

        var buffer = zeros_like(parameter).DetachFromDisposeScope();
        try
        {
            reader.CopyInto($"{prefix}/momentum", buffer); // checks shape and element type
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        _buffers[index]?.Dispose();
        _buffers[index] = buffer;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var buffer in _buffers)
            {
                buffer?.Dispose();
            }

            _momentum.Dispose();
        }
    }
}
