namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

/// <summary>The processor's model name from /proc/cpuinfo (Linux), or "unknown".</summary>
internal static class CpuModel
{
    public static string Name()
    {
        const string Key = "model name";
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal)) : null;
        return line?.Split(':', 2) is [_, var name] ? name.Trim() : "unknown";
    }
}
