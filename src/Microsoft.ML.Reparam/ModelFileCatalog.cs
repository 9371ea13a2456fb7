namespace Microsoft.ML.Reparam;

/// <summary>Loading saved models with errors that name the file.</summary>
public static class ModelFileCatalog
{
    /// <summary>
    /// Loads a model saved with <see cref="ModelOperationsCatalog.Save(ITransformer, DataViewSchema, string)"/>, as
    /// <see cref="ModelOperationsCatalog.Load(string, out DataViewSchema)"/> does, but every failure names the file: a
    /// <see cref="FileNotFoundException"/> when it is missing, an <see cref="InvalidDataException"/> when it is empty,
    /// truncated, corrupted (every entry's CRC-32 is checked, which ML.NET's reader does not) or not an ML.NET model. Loading runs the model's code: load only files you trust
    /// (docs/security.md).
    /// </summary>
    /// <param name="catalog">The model operations catalog (<c>mlContext.Model</c>).</param>
    /// <param name="path">The .zip file.</param>
    /// <param name="inputSchema">The input schema the model was saved with.</param>
    /// <returns>The loaded model.</returns>
    public static ITransformer LoadVerified(this ModelOperationsCatalog catalog, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"Model file '{full}' does not exist.", full);
        }

        if (new FileInfo(full).Length == 0)
        {
            throw new InvalidDataException($"Model file '{full}' is empty.");
        }

        ZipIntegrity.Verify(full);
        try
        {
            return catalog.Load(full, out inputSchema);
        }
        catch (Exception error) when (error is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException($"Model file '{full}' cannot be loaded: it is truncated, corrupted or not an ML.NET model ({error.GetType().Name}: {error.Message}).", error);
        }
    }
}
