namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

/// <summary>The processor's model name and the instruction-set flags that decide which kernels run, from /proc/cpuinfo (Linux).</summary>
internal static class CpuModel
{
    private static readonly string[] RelevantFlags = ["avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"];

    public static string Name() => Field("model name") ?? "unknown";

    /// <summary>Gets the relevant flags the processor has (AVX2, AVX-512, VNNI, BF16, AMX), space-separated, or "unknown".</summary>
    public static string Flags()
    {
        var flags = Field("flags")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return flags is null ? "unknown" : string.Join(' ', RelevantFlags.Where(flags.Contains));
    }

    /// <summary>Gets "family F model M" of the processor, or "unknown".</summary>
    public static string Family() => Field("cpu family") is { } family && Field("model") is { } model ? $"family {family} model {model}" : "unknown";

    private static string? Field(string key)
    {
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal) && l[key.Length..].TrimStart().StartsWith(':')) : null;
        return line?.Split(':', 2) is [_, var value] ? value.Trim() : null;
    }
}
