using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Torch;

/// <summary>
/// Checks once per process that libtorch's float32 convolution is right on this CPU, and turns off its oneDNN
/// (MKL-DNN) path when it is not. On an AMD family-26 (Zen 5) CPU the oneDNN 3 kernels bundled with libtorch 2.10
/// return wrong values — errors of 10 or more, sometimes NaN — for some channel counts (24 with AVX-512 kernels, 12
/// with AVX2 ones; SSE 4.1 kernels and the non-oneDNN path are right), which made fits diverge at random
/// (docs/training.md, "Wrong convolutions"). The check compares convolutions of several channel counts with the same
/// product computed as unfold and matrix product (libtorch's own non-oneDNN method) and raises if even the fallback
/// disagrees.
/// </summary>
internal static class ConvolutionCheck
{
    private const string LibTorch = "libtorch_cpu";
    private const double Tolerance = 1e-3;
    private static readonly Lazy<ConvolutionCheckResult> Once = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock Gate = new();
    private static bool _disabled;

    /// <summary>Gets what the check found: the worst error with oneDNN, and whether oneDNN was turned off.</summary>
    public static ConvolutionCheckResult Result => Once.Value;

    /// <summary>Runs the check if it has not run in this process.</summary>
    public static void Ensure() => _ = Once.Value;

    /// <summary>
    /// Before a fit: keeps oneDNN unless it gets <paramref name="model"/>'s own convolutions wrong. Runs the model's
    /// forward and backward pass (eval mode, gradients of a seeded weighting of the output) on
    /// <paramref name="batch"/> without oneDNN and with it; a relative difference above 1e-3 in the output or any
    /// gradient turns oneDNN off for the process (it is never turned back on, so concurrent fits stay right). A
    /// network whose convolutions oneDNN computes right keeps its speed on a CPU where others are wrong.
    /// </summary>
    /// <returns>The relative difference found (0 when oneDNN was already off).</returns>
    public static double EnsureFor(nn.Module<Tensor, Tensor> model, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        lock (Gate)
        {
            if (_disabled || batch.device_type != TorchSharp.DeviceType.CPU)
            {
                return 0;
            }

            var wasTraining = model.training;
            model.eval();
            try
            {
                SetOneDnn(false);
                using var reference = new ModelPass(model, batch);
                SetOneDnn(true);
                using var actual = new ModelPass(model, batch);
                var difference = actual.RelativeDifference(reference);
                if (!(difference <= Tolerance))
                {
                    Disable();
                }

                return difference;
            }
            finally
            {
                model.train(wasTraining);
            }
        }
    }

    private static ConvolutionCheckResult Run()
    {
        var withOneDnn = WorstRelativeError();
        if (withOneDnn <= Tolerance)
        {
            return new ConvolutionCheckResult(withOneDnn, OneDnnDisabled: false);
        }

        Disable();
        var without = WorstRelativeError();
        if (without > Tolerance)
        {
            throw new InvalidOperationException($"libtorch's float32 convolution gives wrong values on this CPU ({Describe(withOneDnn)} with oneDNN, {Describe(without)} without it); training would be meaningless. Report the CPU model and the TorchSharp version.");
        }

        return new ConvolutionCheckResult(withOneDnn, OneDnnDisabled: true);
    }

    private static string Describe(double error) => double.IsNaN(error) ? "NaN" : $"relative error {error:G3}";

    /// <summary>The largest relative error of 3×3 and 1×1 convolutions over channel counts that select different kernels.</summary>
    private static double WorstRelativeError()
    {
        var worst = 0.0;
        foreach (var channels in CheckedChannels)
        {
            var error = RelativeError(channels);
            worst = double.IsNaN(error) ? double.NaN : Math.Max(worst, error);
            if (double.IsNaN(worst))
            {
                return worst;
            }
        }

        return worst;
    }

    /// <summary>Gets the channel counts the check convolves (C → C).</summary>
    internal static IReadOnlyList<int> CheckedChannels { get; } = [3, 8, 12, 16, 24, 32, 48, 64];

    /// <summary>
    /// The relative error (max |conv − reference| / max |reference|, NaN if any value is NaN) of float32 3×3 and 1×1
    /// convolutions of <paramref name="channels"/> → <paramref name="channels"/> channels on a seeded [2, C, 7, 7] input,
    /// against unfold and matrix product.
    /// </summary>
    internal static double RelativeError(int channels)
    {
        var worst = 0.0;
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)channels);
        foreach (var size in new[] { 1, 3 })
        {
            using var scope = NewDisposeScope();
            var input = randn([2, channels, 7, 7], generator: generator);
            var weight = randn([channels, channels, size, size], generator: generator);
            var actual = nn.functional.conv2d(input, weight, padding: [size / 2, size / 2]);
            var columns = nn.functional.unfold(input, size, padding: size / 2); // [2, C·k², 49]
            var expected = weight.reshape(channels, -1).matmul(columns).reshape(actual.shape);
            var error = ((actual - expected).abs().max() / expected.abs().max()).item<float>();
            worst = float.IsNaN(error) ? double.NaN : Math.Max(worst, error);
        }

        return worst;
    }

    private static void Disable()
    {
        lock (Gate)
        {
            _disabled = true;
            SetOneDnn(false);
        }
    }

    /// <summary>Turns libtorch's oneDNN path on or off for the process (what PyTorch's <c>torch.backends.mkldnn.enabled</c> sets).</summary>
    internal static void SetOneDnn(bool enabled) => SetUserEnabledMkldnn(GlobalContext(), enabled);

    // at::globalContext() and at::Context::setUserEnabledMkldnn(bool), exported by libtorch; TorchSharp 0.107 does not
    // expose them.
    [DllImport(LibTorch, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(LibTorch, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}

/// <summary>What <see cref="ConvolutionCheck"/> found.</summary>
/// <param name="OneDnnError">The worst relative error of the convolutions with oneDNN (NaN if one was NaN).</param>
/// <param name="OneDnnDisabled">Whether oneDNN was turned off for this process because of it.</param>
internal sealed record ConvolutionCheckResult(double OneDnnError, bool OneDnnDisabled);
