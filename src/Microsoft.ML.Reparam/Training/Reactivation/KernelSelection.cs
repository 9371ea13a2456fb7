namespace Microsoft.ML.Reparam.Training.Reactivation;

/// <summary>A kernel chosen for rescaling: the weight it lives in (index in the list given), its filter and input channel.</summary>
/// <param name="Layer">Index of the convolution weight.</param>
/// <param name="Filter">Output channel.</param>
/// <param name="Kernel">Input channel (within the group).</param>
internal readonly record struct KernelIndex(int Layer, int Filter, int Kernel);

/// <summary>
/// The selection rule of kernel reactivation on kernel L1 norms (docs/reactivation.md): C1 (model-level, lowest α of all
/// filters by average kernel L1), C2 (layer-level, lowest β of the layer's filters), and C3 (lowest γ of an invalid
/// filter's kernels). "Lowest fraction f of n" is the ⌊f·n⌋ smallest, ties broken by index.
/// </summary>
internal static class KernelSelection
{
    /// <summary>Returns the invalid filters (C1 ∩ C2) and the kernels to rescale (C3).</summary>
    /// <param name="kernelNorms">Per layer, the L1 norm of every kernel, [filters][kernels].</param>
    /// <param name="alpha">α.</param>
    /// <param name="beta">β.</param>
    /// <param name="gamma">γ_t.</param>
    /// <returns>The invalid filters as (layer, filter) and the selected kernels.</returns>
    public static (IReadOnlyList<(int Layer, int Filter)> Filters, IReadOnlyList<KernelIndex> Kernels) Select(IReadOnlyList<double[][]> kernelNorms, double alpha, double beta, double gamma)
    {
        ArgumentNullException.ThrowIfNull(kernelNorms);
        var filters = kernelNorms.SelectMany((layer, l) => layer.Select((kernels, f) => (Layer: l, Filter: f, Average: kernels.Average()))).ToList();
        var modelLow = Lowest(filters, alpha, f => f.Average).Select(f => (f.Layer, f.Filter)).ToHashSet();
        var invalid = new List<(int Layer, int Filter)>();
        for (var l = 0; l < kernelNorms.Count; l++)
        {
            var layer = filters.Where(f => f.Layer == l).ToList();
            invalid.AddRange(Lowest(layer, beta, f => f.Average).Select(f => (f.Layer, f.Filter)).Where(modelLow.Contains));
        }

        invalid.Sort();
        var kernels = invalid
            .SelectMany(f => Lowest(kernelNorms[f.Layer][f.Filter].Select((norm, k) => (Norm: norm, Kernel: k)).ToList(), gamma, k => k.Norm)
                .Select(k => new KernelIndex(f.Layer, f.Filter, k.Kernel)))
            .OrderBy(k => k.Layer).ThenBy(k => k.Filter).ThenBy(k => k.Kernel)
            .ToList();
        return (invalid, kernels);
    }

    private static IEnumerable<T> Lowest<T>(IReadOnlyList<T> items, double fraction, Func<T, double> key)
    {
        var count = (int)Math.Floor(fraction * items.Count);
        return items.Select((item, index) => (item, index)).OrderBy(p => key(p.item)).ThenBy(p => p.index).Take(count).Select(p => p.item);
    }
}
