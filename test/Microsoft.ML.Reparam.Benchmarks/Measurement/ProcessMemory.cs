namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

/// <summary>Resident memory of this process from /proc (Linux): current (VmRSS) and peak (VmHWM), in MiB.</summary>
internal static class ProcessMemory
{
    public static double CurrentMb() => ReadStatusKb("VmRSS:") / 1024.0;

    public static double PeakMb() => ReadStatusKb("VmHWM:") / 1024.0;

    /// <summary>Resets the kernel's peak-RSS counter to the current RSS (writing 5 to /proc/self/clear_refs, Linux 4.0+).</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long ReadStatusKb(string key)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))
            ?? throw new PlatformNotSupportedException($"/proc/self/status has no {key} line.");
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
