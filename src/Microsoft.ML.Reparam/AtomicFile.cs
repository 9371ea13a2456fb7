namespace Microsoft.ML.Reparam;

/// <summary>
/// Writes files so that a failure never leaves a partial file or destroys the one that was there: the content goes to a
/// temporary file in the same folder, is flushed to disk, and is then renamed over the target.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, byte[] content) => Write(path, file => file.Write(content));

    public static void Write(string path, SpanWriter write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{full}': its folder '{folder}' does not exist or is not a folder.");
        }

        if (Directory.Exists(full))
        {
            throw new IOException($"Cannot write '{full}': it is a folder.");
        }

        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && error is not DirectoryNotFoundException)
        {
            throw new IOException($"Cannot write '{full}': {error.Message}", error);
        }
        finally
        {
            File.Delete(temporary); // nothing left when the rename happened
        }
    }

    /// <summary>Writes the content to the temporary file's stream.</summary>
    public delegate void SpanWriter(FileStream file);
}
