using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Downsampling;

/// <summary>
/// The training hook of learned strides: adds λ·Σ_l Π_{i≤l} 1/(S_h^i·S_w^i) to every batch's loss (docs/diffstride.md,
/// D5; the cost of layer l grows with the resolution kept up to it) and reports the strides after every epoch.
/// </summary>
internal sealed class StrideComplexityRegularizer : ITrainingHook
{
    private (nn.Module Model, IReadOnlyList<SpectralDownsampler> Layers)? _layers;

    /// <summary>Initializes a new instance of the <see cref="StrideComplexityRegularizer"/> class.</summary>
    /// <param name="weight">λ, at least 0; 0 only reports the strides.</param>
    public StrideComplexityRegularizer(double weight)
    {
        if (!(weight >= 0) || !double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "The stride complexity weight λ must be finite and at least 0.");
        }

        Weight = weight;
    }

    /// <summary>Gets λ.</summary>
    public double Weight { get; }

    /// <summary>Returns Σ_l Π_{i≤l} 1/(S_h^i·S_w^i) over the model's spectral layers, strides taken as at least 1.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The unweighted cost, a scalar tensor, or null without spectral layers.</returns>
    public static Tensor? Cost(nn.Module model) => Cost(Downsamplers.In(model));

    /// <summary>The same cost for strides given as numbers, for example the strides of a strided-convolution model.</summary>
    /// <param name="strides">(S_h, S_w) of each downsampling position, in order.</param>
    /// <returns>Σ_l Π_{i≤l} 1/(S_h^i·S_w^i).</returns>
    public static double Cost(IEnumerable<(double Height, double Width)> strides)
    {
        ArgumentNullException.ThrowIfNull(strides);
        double kept = 1, cost = 0;
        foreach (var (height, width) in strides)
        {
            kept /= height * width;
            cost += kept;
        }

        return cost;
    }

    /// <inheritdoc />
    public Tensor? RegularizationLoss(nn.Module<Tensor, Tensor> model)
    {
        if (Weight == 0)
        {
            return null;
        }

        // Found once per model: this runs on every batch.
        if (_layers is not { } cached || cached.Model != model)
        {
            cached = (model, Downsamplers.In(model));
            _layers = cached;
        }

        return Cost(cached.Layers) is { } cost ? cost.Times(Weight) : null;
    }

    private static Tensor? Cost(IReadOnlyList<SpectralDownsampler> layers)
    {
        Tensor? cost = null;
        Tensor? kept = null;
        foreach (var layer in layers)
        {
            var strides = layer.StrideParameter.AtLeast(1);
            var area = strides[0] * strides[strides.shape[0] - 1];
            kept = kept is null ? area.reciprocal() : kept / area;
            cost = cost is null ? kept : cost.Plus(kept);
        }

        return cost;
    }

    /// <inheritdoc />
    public string? OnEpochEnd(EpochEndContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Downsamplers.Describe(context.Model);
    }
}
