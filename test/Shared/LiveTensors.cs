using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Robustness;

/// <summary>TorchSharp's count of live tensors after a full collection: garbage the finalizer would free is not counted.</summary>
internal static class LiveTensors
{
    public static long Count()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Tensor.TotalCount;
    }
}
