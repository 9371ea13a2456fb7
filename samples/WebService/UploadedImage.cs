namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>
/// Takes the image of a multipart upload (form field "image"): checks the field, the content type and the size written
/// in the file's header against the limits before anything decodes it, then decodes it with ML.NET.
/// </summary>
public static class UploadedImage
{
    public const string FieldName = "image";

    private static readonly HashSet<string> _contentTypes = ["image/png", "image/jpeg", "image/bmp", "image/gif", "application/octet-stream"];

    /// <summary>
    /// Returns the decoded image (the caller disposes it) and its encoded bytes. <paramref name="maxPixels"/> is the
    /// endpoint's pixel limit, <paramref name="maxPixelsSetting"/> the name of its setting, quoted when it refuses.
    /// </summary>
    public static async Task<(MLImage Image, byte[] Bytes)> ReadAsync(HttpRequest request, ServiceOptions limits, long maxPixels, string maxPixelsSetting)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        if (!request.HasFormContentType)
        {
            throw new BadUploadException($"Send the image as multipart/form-data with a field named '{FieldName}' (got content type '{request.ContentType ?? "none"}').");
        }

        var form = await request.ReadFormAsync();
        var file = form.Files.GetFile(FieldName)
            ?? throw new BadUploadException($"The form has no file field named '{FieldName}' (fields: {string.Join(", ", form.Files.Select(f => $"'{f.Name}'").Concat(form.Keys.Select(k => $"'{k}'")).DefaultIfEmpty("none"))}).");
        if (!_contentTypes.Contains(file.ContentType))
        {
            throw new BadUploadException($"The file '{file.FileName}' has content type '{file.ContentType}'; send image/png, image/jpeg, image/bmp or image/gif.", StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var header = ImageHeader.Read(bytes)
            ?? throw new BadUploadException($"The file '{file.FileName}' ({bytes.Length} bytes) is not a PNG, JPEG, BMP or GIF image.");
        if (header.Width < 1 || header.Height < 1)
        {
            throw new BadUploadException($"The file '{file.FileName}' declares an empty image ({header.Width}x{header.Height}).");
        }

        if (header.Width > limits.MaxImageSide || header.Height > limits.MaxImageSide || (long)header.Width * header.Height > maxPixels)
        {
            throw new BadUploadException($"The file '{file.FileName}' is {header.Width}x{header.Height} ({(long)header.Width * header.Height} pixels); {request.Path} takes at most {maxPixels} pixels (Service:{maxPixelsSetting}) and {limits.MaxImageSide} per side (Service:{nameof(ServiceOptions.MaxImageSide)}).", StatusCodes.Status413PayloadTooLarge);
        }

        if (!ImageHeader.IsComplete(bytes, header.Format))
        {
            throw new BadUploadException($"The file '{file.FileName}' ({bytes.Length} bytes) is a truncated {header.Format} image: it does not end where its format says it ends.");
        }

        try
        {
            return (MLImage.CreateFromStream(new MemoryStream(bytes)), bytes);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException)
        {
            throw new BadUploadException($"The file '{file.FileName}' is a {header.Format} header with content that cannot be decoded (truncated or corrupted): {error.Message}");
        }
    }
}
