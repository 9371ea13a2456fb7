using System.Text.Json;
using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training.Reactivation;

/// <summary>
/// Kernel reactivation as a training hook: after every E-th epoch, kernels selected by <see cref="KernelSelection"/>
/// over every trainable 4-D convolution weight of the model are multiplied by L1(best kernel of their filter) / L1(kernel),
/// which keeps the ratios of their weights (docs/reactivation.md). Optimizer state is left as it is.
/// </summary>
internal sealed class KernelReactivation : ITrainingHook, ICheckpointedHook
{
    private readonly KernelReactivationOptions _options;
    private readonly List<ReactivationEvent> _events = [];

    /// <summary>Initializes a new instance of the <see cref="KernelReactivation"/> class.</summary>
    /// <param name="options">α, β, γ₀ and E.</param>
    public KernelReactivation(KernelReactivationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Gets the reactivations so far.</summary>
    public IReadOnlyList<ReactivationEvent> Events => _events;

    /// <summary>Gets the kernels rescaled over all events.</summary>
    public int KernelsReactivated => _events.Sum(e => e.KernelsRescaled);

    /// <summary>Returns γ_t = γ₀ · lr_t / lr₀.</summary>
    /// <param name="gamma0">γ₀.</param>
    /// <param name="learningRate">lr_t.</param>
    /// <param name="peakLearningRate">lr₀.</param>
    /// <returns>γ_t.</returns>
    public static double Gamma(double gamma0, double learningRate, double peakLearningRate) => peakLearningRate > 0 ? gamma0 * learningRate / peakLearningRate : 0;

    /// <summary>The trainable convolution weights reactivation works on: every 4-D parameter that requires gradients.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The weights, in parameter order.</returns>
    public static IReadOnlyList<Tensor> ConvolutionWeights(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Where(p => p.requires_grad && p.dim() == 4).Cast<Tensor>().ToList();
    }

    /// <inheritdoc />
    public string SaveState() => JsonSerializer.Serialize(_events);

    /// <inheritdoc />
    public void RestoreState(string state)
    {
        var events = JsonSerializer.Deserialize<List<ReactivationEvent>>(state) ?? [];
        if (events.Any(e => e is null))
        {
            throw new JsonException("a reactivation event is empty");
        }

        _events.Clear();
        _events.AddRange(events);
    }

    /// <inheritdoc />
    public Tensor? RegularizationLoss(nn.Module<Tensor, Tensor> model) => null;

    /// <inheritdoc />
    public string? OnEpochEnd(EpochEndContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Epoch % _options.Interval != 0)
        {
            return null;
        }

        var gamma = Gamma(_options.Gamma0, context.LearningRate, context.PeakLearningRate);
        var (filters, rescaled) = Apply(ConvolutionWeights(context.Model), _options.Alpha, _options.Beta, gamma);
        var reactivation = new ReactivationEvent(context.Epoch, gamma, filters, rescaled);
        _events.Add(reactivation);
        return reactivation.ToString();
    }

    /// <summary>Selects and rescales kernels of <paramref name="weights"/> in place.</summary>
    /// <param name="weights">Convolution weights [O, I, K, K].</param>
    /// <param name="alpha">α.</param>
    /// <param name="beta">β.</param>
    /// <param name="gamma">γ_t.</param>
    /// <returns>Invalid filters and kernels rescaled.</returns>
    public static (int Filters, int Kernels) Apply(IReadOnlyList<Tensor> weights, double alpha, double beta, double gamma)
    {
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var norms = weights.Select(w => w.abs().sum([2L, 3L]).to(ScalarType.Float64).cpu()).ToList();
        var values = norms.Select(n => Enumerable.Range(0, (int)n.shape[0]).Select(f => n[f].data<double>().ToArray()).ToArray()).ToList();
        var (filters, kernels) = KernelSelection.Select(values, alpha, beta, gamma);
        var rescaled = 0;
        foreach (var k in kernels)
        {
            var norm = values[k.Layer][k.Filter][k.Kernel];
            if (norm > 0)
            {
                weights[k.Layer][k.Filter, k.Kernel].TimesInPlace(values[k.Layer][k.Filter].Max() / norm);
                rescaled++;
            }
        }

        return (filters.Count, rescaled);
    }
}
