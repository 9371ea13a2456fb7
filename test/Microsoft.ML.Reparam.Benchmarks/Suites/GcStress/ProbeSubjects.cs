using Microsoft.ML.Reparam.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>Fixed tensors made from C# arrays (no TorchSharp arithmetic, no random generator), and a tensor's values as doubles.</summary>
internal static class ProbeTensors
{
    public static Tensor Fixed(long[] shape, double phase = 0)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)Math.Sin((0.37 * i) + phase);
        }

        return tensor(values, shape);
    }

    public static IEnumerable<double> Values(Tensor tensor)
    {
        using var values = tensor.detach().to_type(ScalarType.Float64);
        return values.data<double>().ToArray();
    }
}

/// <summary>Forward calls of a module in training mode on a fixed input, each in its own dispose scope; the state is the module's buffers (running statistics, batch count).</summary>
internal sealed class TrainingForwardSubject : IProbeSubject
{
    private readonly nn.Module<Tensor, Tensor> _module;
    private readonly Tensor _input;

    public TrainingForwardSubject(nn.Module<Tensor, Tensor> module, long[] inputShape)
    {
        _module = module;
        _module.train();
        _input = ProbeTensors.Fixed(inputShape);
    }

    public bool Call()
    {
        using var scope = NewDisposeScope();
        _module.forward(_input);
        return true;
    }

    public double[] State() => [.. _module.buffers().SelectMany(ProbeTensors.Values)];

    public void Dispose()
    {
        _module.Dispose();
        _input.Dispose();
    }
}

/// <summary>An operation on two fixed tensors whose every result must equal the one computed when the subject was made.</summary>
internal sealed class ElementwiseSubject : IProbeSubject
{
    private readonly Func<Tensor, Tensor, Tensor> _operation;
    private readonly Tensor _left = ProbeTensors.Fixed([8, 4, 6, 6]);
    private readonly Tensor _right = ProbeTensors.Fixed([8, 4, 6, 6], phase: 1);
    private readonly Tensor _expected;

    public ElementwiseSubject(Func<Tensor, Tensor, Tensor> operation)
    {
        _operation = operation;
        _expected = operation(_left, _right);
    }

    public bool Call()
    {
        using var scope = NewDisposeScope();
        return _operation(_left, _right).eq(_expected).all().item<bool>();
    }

    public double[] State() => [];

    public void Dispose()
    {
        _left.Dispose();
        _right.Dispose();
        _expected.Dispose();
    }
}

/// <summary>Optimizer steps on three parameters with fixed gradients (set once; a step does not change them); the state is the parameters.</summary>
internal sealed class OptimizerSubject : IProbeSubject
{
    private readonly Parameter[] _parameters;
    private readonly IDisposable _optimizer;
    private readonly Action _step;

    private OptimizerSubject(Func<Parameter[], (IDisposable Optimizer, Action Step)> create)
    {
        long[][] shapes = [[16, 8], [16], [4, 4, 3, 3]];
        _parameters = [.. shapes.Select(shape => nn.Parameter(ProbeTensors.Fixed(shape)))];
        foreach (var (parameter, shape) in _parameters.Zip(shapes))
        {
            using var gradient = ProbeTensors.Fixed(shape, phase: 2);
            parameter.grad = gradient;
        }

        (_optimizer, _step) = create(_parameters);
    }

    /// <summary>A subject stepping one of TorchSharp's optimizers.</summary>
    public static OptimizerSubject OfTorchSharp(Func<IEnumerable<Parameter>, optim.Optimizer> create) =>
        new(parameters => create(parameters) is var optimizer ? (optimizer, () => optimizer.step()) : default);

    /// <summary>A subject stepping one of the library's optimizers, its matrices decayed by <paramref name="weightDecay"/>.</summary>
    public static OptimizerSubject OfLibrary(Func<IReadOnlyList<ParameterGroup>, TrainingOptimizer> create, double weightDecay) =>
        new(parameters => create([new([.. parameters.Where(p => p.dim() >= 2)], weightDecay), new([.. parameters.Where(p => p.dim() < 2)], 0)]) is var optimizer ? (optimizer, optimizer.Step) : default);

    public bool Call()
    {
        using var scope = NewDisposeScope();
        _step();
        return true;
    }

    public double[] State() => [.. _parameters.SelectMany(ProbeTensors.Values)];

    public void Dispose()
    {
        _optimizer.Dispose();
        foreach (var parameter in _parameters)
        {
            parameter.Dispose();
        }
    }
}
