using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter) with ε = 1e-8, TorchSharp's and PyTorch's update: θ ← θ(1 − ηλ); m ← β₁m + (1 − β₁)g;
/// v ← β₂v + (1 − β₂)g²; θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </summary>
internal sealed class AdamWOptimizer : TrainingOptimizer
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _heldBeta1;
    private readonly Scalar _heldBeta2;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private readonly long[] _steps;
    private readonly Tensor[] _means;
    private readonly Tensor[] _squares;

    /// <summary>Initializes a new instance of the <see cref="AdamWOptimizer"/> class.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="learningRate">The first learning rate.</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    public AdamWOptimizer(IReadOnlyList<ParameterGroup> groups, double learningRate, double beta1, double beta2 = 0.999)
        : base(groups, learningRate)
    {
        (_beta1, _beta2) = (beta1, beta2);
        _heldBeta1 = beta1.ToScalar();
        _heldBeta2 = beta2.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = 1e-8.ToScalar();
        var parameters = Parameters.ToList();
        _steps = new long[parameters.Count];
        _means = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _squares = [.. parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    /// <inheritdoc />
    protected override void Update(int index, Parameter parameter, Tensor grad, double weightDecay)
    {
        var step = ++_steps[index];
        using var shrink = (1 - (LearningRate * weightDecay)).ToScalar();
        parameter.mul_(shrink);
        var correction1 = 1 - Math.Pow(_beta1, step);
        var correction2 = 1 - Math.Pow(_beta2, step);
        _means[index].mul_(_heldBeta1).add_(grad, _oneMinusBeta1);
        _squares[index].mul_(_heldBeta2).addcmul_(grad, grad, _oneMinusBeta2);
        using var root2 = Math.Sqrt(correction2).ToScalar();
        var denominator = _squares[index].sqrt().div(root2).add_(_epsilon, HeldScalars.One);
        using var stepSize = (-LearningRate / correction1).ToScalar();
        parameter.addcdiv_(_means[index], denominator, stepSize);
    }

    /// <inheritdoc />
    protected override void WriteState(CheckpointWriter writer, int index, string prefix)
    {
        writer.Add($"{prefix}/step", [_steps[index]]);
        writer.Add($"{prefix}/mean", _means[index]);
        writer.Add($"{prefix}/square", _squares[index]);
    }

    /// <inheritdoc />
    protected override void RestoreState(CheckpointReader reader, int index, string prefix, Parameter parameter)
    {
        _steps[index] = reader.Int64($"{prefix}/step");
        reader.CopyInto($"{prefix}/mean", _means[index]);
        reader.CopyInto($"{prefix}/square", _squares[index]);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var state in _means.Concat(_squares))
            {
                state.Dispose();
            }

            foreach (var scalar in new[] { _heldBeta1, _heldBeta2, _oneMinusBeta1, _oneMinusBeta2, _epsilon })
            {
                scalar.Dispose();
            }
        }
    }
}
