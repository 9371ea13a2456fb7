using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>Chooses the training device the way ML.NET's GpuDeviceId and FallbackToCpu do.</summary>
internal static class TrainingDevice
{
    /// <summary>Returns CUDA device <paramref name="gpuDeviceId"/> when requested and present, else the CPU when fallback is allowed.</summary>
    /// <param name="gpuDeviceId">The requested GPU, or null for the CPU.</param>
    /// <param name="fallbackToCpu">Whether a missing GPU falls back to the CPU.</param>
    /// <returns>The device.</returns>
    /// <exception cref="InvalidOperationException">A GPU was requested, none is usable, and fallback is off.</exception>
    public static Device Select(int? gpuDeviceId, bool fallbackToCpu)
    {
        if (gpuDeviceId is not { } id)
        {
            return CPU;
        }

        if (cuda.is_available() && id >= 0 && id < cuda.device_count())
        {
            return new Device(DeviceType.CUDA, id);
        }

        if (fallbackToCpu)
        {
            return CPU;
        }

        throw new InvalidOperationException($"GpuDeviceId {id} was requested but CUDA is not available (devices: {(cuda.is_available() ? cuda.device_count() : 0)}) and FallbackToCpu is false.");
    }
}
