using Microsoft.ML.Reparam.Training.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Optimizers;

/// <summary>Parameters updated with one weight decay.</summary>
/// <param name="Parameters">The parameters.</param>
/// <param name="WeightDecay">The decay applied to them.</param>
internal sealed record ParameterGroup(IReadOnlyList<Parameter> Parameters, double WeightDecay);

/// <summary>
/// A first-order optimizer over parameter groups whose native calls hold their scalars: TorchSharp 0.107's optimizers
/// pass scalars made by implicit conversions (<c>param.add_(grad, alpha: -lr)</c>), which the collector can free during
/// the call (docs/training.md, "Native calls"). Its updates are the same operations in the same order as TorchSharp's,
/// so the numbers are the same. Its per-parameter state is checkpointed in the order of the groups' parameters.
/// </summary>
internal abstract class TrainingOptimizer : IDisposable
{
    private readonly IReadOnlyList<ParameterGroup> _groups;

    /// <summary>Initializes a new instance of the <see cref="TrainingOptimizer"/> class.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="learningRate">The first learning rate.</param>
    protected TrainingOptimizer(IReadOnlyList<ParameterGroup> groups, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
        LearningRate = learningRate;
    }

    /// <summary>Gets or sets the learning rate of the next step (every group's).</summary>
    public double LearningRate { get; set; }

    /// <summary>Gets the parameters in the order of the groups; state index i belongs to parameter i.</summary>
    public IEnumerable<Parameter> Parameters => _groups.SelectMany(group => group.Parameters);

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var index = 0;
        foreach (var group in _groups)
        {
            foreach (var parameter in group.Parameters)
            {
                if (parameter.grad is { } grad)
                {
                    Update(index, parameter, grad, group.WeightDecay);
                }

                index++;
            }
        }
    }

    /// <summary>Writes the per-parameter state under <c>optimizer/</c>.</summary>
    /// <param name="writer">The checkpoint.</param>
    public void Write(CheckpointWriter writer)
    {
        var count = Parameters.Count();
        writer.Add("optimizer/count", [count]);
        for (var i = 0; i < count; i++)
        {
            WriteState(writer, i, $"optimizer/{i}");
        }
    }

    /// <summary>Restores what <see cref="Write"/> wrote.</summary>
    /// <param name="reader">The checkpoint.</param>
    public void Restore(CheckpointReader reader)
    {
        var parameters = Parameters.ToList();
        if (reader.Int64("optimizer/count") != parameters.Count)
        {
            throw reader.Invalid($"it holds optimizer state for {reader.Int64("optimizer/count")} parameters, the model has {parameters.Count}");
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            RestoreState(reader, i, $"optimizer/{i}", parameters[i]);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Updates parameter <paramref name="index"/> under <c>no_grad</c> in a dispose scope.</summary>
    /// <param name="index">The parameter's state index.</param>
    /// <param name="parameter">The parameter.</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="weightDecay">Its group's weight decay.</param>
    protected abstract void Update(int index, Parameter parameter, Tensor grad, double weightDecay);

    /// <summary>Writes parameter <paramref name="index"/>'s state under <paramref name="prefix"/>.</summary>
    protected abstract void WriteState(CheckpointWriter writer, int index, string prefix);

    /// <summary>Restores parameter <paramref name="index"/>'s state from under <paramref name="prefix"/>.</summary>
    protected abstract void RestoreState(CheckpointReader reader, int index, string prefix, Parameter parameter);

    /// <summary>Disposes the per-parameter state.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected abstract void Dispose(bool disposing);
}
