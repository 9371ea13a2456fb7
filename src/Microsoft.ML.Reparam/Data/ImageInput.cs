namespace Microsoft.ML.Reparam.Data;

/// <summary>Training images read from an IDataView, with the ML.NET preprocessing that produced them.</summary>
/// <param name="Data">Pixels (scaled to [0, 1]) and the task's targets.</param>
/// <param name="Preprocessing">The fitted stock ML.NET transforms from the caller's image column to the pixel vector (the saved chain).</param>
/// <param name="InProcessPreprocessing">The same transforms reading <paramref name="ImageCopyColumn"/> instead (the chain the fitted transformer runs).</param>
/// <param name="ImageCopyColumn">The column of copies of the caller's images (<see cref="CallerImageCopies"/>), or null for a pixel-vector column.</param>
/// <param name="PixelColumnName">The column the preprocessing writes the pixel vector to.</param>
internal sealed record ImageInput(ImageTensorDataset Data, ITransformer Preprocessing, ITransformer InProcessPreprocessing, string? ImageCopyColumn, string PixelColumnName);
