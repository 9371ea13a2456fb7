using Microsoft.ML.Reparam.Torch;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>Kernel-space identities used to fold branches; equations in docs/folding.md.</summary>
internal static class KernelAlgebra
{
    /// <summary>
    /// Folds eval-mode batch norm after a bias-free convolution (docs/folding.md, eq. 1):
    /// <c>W' = W·γ/σ</c>, <c>b' = β − μ·γ/σ</c> with <c>σ = sqrt(var + ε)</c>.
    /// </summary>
    /// <param name="kernel">The convolution kernel, [out, in/groups, K, K].</param>
    /// <param name="norm">The batch norm that follows it.</param>
    /// <returns>The folded kernel and bias.</returns>
    public static (Tensor Kernel, Tensor Bias) FuseBatchNorm(Tensor kernel, BatchNormalization norm)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(norm);
        using var scope = NewDisposeScope();
        var (scale, shift) = BatchNormAffine(norm);
        var folded = kernel * scale.reshape(-1, 1, 1, 1);
        return (folded.MoveToOuterDisposeScope(), shift.MoveToOuterDisposeScope());
    }

    /// <summary>Returns the per-channel scale <c>γ/σ</c> and shift <c>β − μγ/σ</c> of an eval-mode batch norm.</summary>
    /// <param name="norm">The batch norm.</param>
    /// <returns>Scale and shift, each [channels].</returns>
    public static (Tensor Scale, Tensor Shift) BatchNormAffine(BatchNormalization norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        using var scope = NewDisposeScope();
        var mean = norm.RunningMean ?? throw new InvalidOperationException("Batch norm without running statistics cannot be folded.");
        var variance = norm.RunningVariance ?? throw new InvalidOperationException("Batch norm without running statistics cannot be folded.");
        var gamma = norm.Weight ?? ones_like(mean);
        var beta = norm.Bias ?? zeros_like(mean);
        var scale = gamma / variance.Plus(BatchNormalization.Epsilon).sqrt();
        var shift = beta - (mean * scale);
        return (scale.MoveToOuterDisposeScope(), shift.MoveToOuterDisposeScope());
    }

    /// <summary>Zero-pads a square kernel symmetrically to <paramref name="size"/> × <paramref name="size"/>.</summary>
    /// <param name="kernel">The kernel, [out, in, k, k] with k ≤ size and size − k even.</param>
    /// <param name="size">The target size.</param>
    /// <returns>The padded kernel.</returns>
    public static Tensor PadToSize(Tensor kernel, int size)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var padHeight = (size - (int)kernel.shape[2]) / 2;
        var padWidth = (size - (int)kernel.shape[3]) / 2;
        if (padHeight < 0 || padWidth < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"Kernel of size {kernel.shape[2]}x{kernel.shape[3]} does not fit.");
        }

        return nn.functional.pad(kernel, [padWidth, padWidth, padHeight, padHeight]);
    }

    /// <summary>
    /// The identity as a grouped K×K kernel: output channel c copies input channel c
    /// (position <c>c mod (channels/groups)</c> inside its group) at the kernel centre.
    /// </summary>
    /// <param name="channels">Channels (in = out).</param>
    /// <param name="groups">Groups.</param>
    /// <param name="size">Kernel size K.</param>
    /// <param name="like">A tensor whose dtype and device the result takes.</param>
    /// <returns>The identity kernel, [channels, channels/groups, K, K].</returns>
    public static Tensor IdentityKernel(int channels, int groups, int size, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        var perGroup = channels / groups;
        var kernel = zeros([channels, perGroup, size, size], dtype: like.dtype, device: like.device);
        using (no_grad())
        {
            for (var c = 0; c < channels; c++)
            {
                kernel[c, c % perGroup, size / 2, size / 2] = tensor(1f, dtype: like.dtype);
            }
        }

        return kernel;
    }

    /// <summary>Sums kernels and biases of parallel branches (docs/folding.md, eq. 2), padding each kernel to K.</summary>
    /// <param name="size">Kernel size K of the sum.</param>
    /// <param name="branches">The branches' kernels and biases.</param>
    /// <returns>The summed kernel and bias.</returns>
    public static (Tensor Kernel, Tensor Bias) SumBranches(int size, IEnumerable<(Tensor Kernel, Tensor Bias)> branches)
    {
        ArgumentNullException.ThrowIfNull(branches);
        using var scope = NewDisposeScope();
        Tensor? kernel = null;
        Tensor? bias = null;
        foreach (var (k, b) in branches)
        {
            var padded = PadToSize(k, size);
            kernel = kernel is null ? padded : kernel.Plus(padded);
            bias = bias is null ? b : bias.Plus(b);
        }

        if (kernel is null || bias is null)
        {
            throw new ArgumentException("At least one branch is required.", nameof(branches));
        }

        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>Applies an eval-mode batch norm to a folded (kernel, bias) pair: <c>W·γ/σ</c>, <c>(b − μ)·γ/σ + β</c>.</summary>
    /// <param name="folded">The kernel and bias before the batch norm.</param>
    /// <param name="norm">The batch norm.</param>
    /// <returns>The kernel and bias after it.</returns>
    public static (Tensor Kernel, Tensor Bias) ThenBatchNorm((Tensor Kernel, Tensor Bias) folded, BatchNormalization norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        using var scope = NewDisposeScope();
        var (scale, shift) = BatchNormAffine(norm);
        var kernel = folded.Kernel * scale.reshape(-1, 1, 1, 1);
        var bias = (folded.Bias * scale).Plus(shift);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Merges a 1×1 convolution (kernel A [M, C_in/g, 1, 1], bias a) followed by a K×K convolution with the same groups
    /// (kernel B [C_out, M/g, K, K], bias b) into one K×K convolution (docs/folding.md, eq. F5):
    /// <c>W[o,i] = Σ_m B[o,m]·A[m,i]</c> within each group, <c>bias[o] = b[o] + Σ_{m,h,w} B[o,m,h,w]·a[m]</c>.
    /// Exact when the intermediate map is padded with its own bias value a (not zeros), as <see cref="BatchNormAndPad"/> does.
    /// </summary>
    /// <param name="first">The 1×1 kernel and bias (bias may be null for none).</param>
    /// <param name="second">The K×K kernel and bias (bias may be null for none).</param>
    /// <param name="groups">The groups of both convolutions.</param>
    /// <returns>The merged kernel [C_out, C_in/g, K, K] and bias [C_out].</returns>
    public static (Tensor Kernel, Tensor Bias) ComposeSequential((Tensor Kernel, Tensor? Bias) first, (Tensor Kernel, Tensor? Bias) second, int groups)
    {
        using var scope = NewDisposeScope();
        var (a, b) = (first.Kernel, second.Kernel);
        var (m, inPerGroup, outChannels, size) = (a.shape[0], a.shape[1], b.shape[0], b.shape[2]);
        var merged = einsum("gmi,gomhw->goihw", a.reshape(groups, m / groups, inPerGroup), b.reshape(groups, outChannels / groups, m / groups, size, size))
            .reshape(outChannels, inPerGroup, size, size);
        var bias = second.Bias ?? zeros(outChannels, dtype: b.dtype, device: b.device);
        if (first.Bias is { } firstBias)
        {
            var carried = einsum("gom,gm->go", b.sum([2, 3]).reshape(groups, outChannels / groups, m / groups), firstBias.reshape(groups, m / groups)).reshape(outChannels);
            bias = bias.Plus(carried);
        }

        return (merged.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Merges a 1×1 convolution (kernel A [C_out, C_in/g, 1, 1], bias a) followed by a depthwise K×K filter per output
    /// channel (D [C_out, 1, K, K], bias d) into one K×K convolution (eq. F6): <c>W[o,i] = D[o]·A[o,i]</c>,
    /// <c>bias[o] = d[o] + a[o]·Σ D[o]</c>. Average pooling is the depthwise filter 1/K²; ECB's Sobel and Laplacian
    /// branches are fixed filters times a learned per-channel scale. Exact with bias-valued padding, as above.
    /// </summary>
    /// <param name="first">The 1×1 kernel and bias (bias may be null).</param>
    /// <param name="depthwise">The per-channel filters and bias (bias may be null).</param>
    /// <returns>The merged kernel and bias.</returns>
    public static (Tensor Kernel, Tensor Bias) ComposeDepthwise((Tensor Kernel, Tensor? Bias) first, (Tensor Kernel, Tensor? Bias) depthwise)
    {
        using var scope = NewDisposeScope();
        var merged = first.Kernel * depthwise.Kernel; // [O, I, 1, 1] * [O, 1, K, K] broadcasts to [O, I, K, K]
        var outChannels = first.Kernel.shape[0];
        var bias = depthwise.Bias ?? zeros(outChannels, dtype: merged.dtype, device: merged.device);
        if (first.Bias is { } firstBias)
        {
            bias = bias.Plus(firstBias * depthwise.Kernel.sum([1, 2, 3]));
        }

        return (merged.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }
}
