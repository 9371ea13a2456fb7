namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>The service's configuration (section "Service" of appsettings.json, or environment variables Service__...).</summary>
public sealed class ServiceOptions
{
    /// <summary>Gets or sets the saved classifier (.zip), or null to serve no /classify.</summary>
    public string? Classifier { get; set; }

    /// <summary>Gets or sets the saved segmenter (.zip), or null.</summary>
    public string? Segmenter { get; set; }

    /// <summary>Gets or sets the saved super-resolution model (.zip), or null.</summary>
    public string? Upscaler { get; set; }

    /// <summary>Gets or sets the saved denoiser (.zip), or null.</summary>
    public string? Denoiser { get; set; }

    /// <summary>Gets or sets the largest request body accepted, in bytes (Kestrel refuses larger ones before reading them).</summary>
    public long MaxUploadBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Gets or sets the largest image accepted, in pixels, checked from the file's header before it is decoded.</summary>
    public long MaxImagePixels { get; set; } = 16 * 1024 * 1024;

    /// <summary>Gets or sets the largest side of an image accepted, in pixels.</summary>
    public int MaxImageSide { get; set; } = 8192;

    /// <summary>Gets or sets the largest image the restoration endpoints take, in pixels (their output is scale² larger).</summary>
    public long MaxRestorationPixels { get; set; } = 1024 * 1024;
}
