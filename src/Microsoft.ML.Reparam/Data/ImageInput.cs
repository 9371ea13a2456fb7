namespace Microsoft.ML.Reparam.Data;

/// <summary>Training images read from an IDataView, with the ML.NET preprocessing that produced them.</summary>
/// <param name="Data">Pixels (scaled to [0, 1]) and the task's targets.</param>
/// <param name="Preprocessing">The fitted stock ML.NET transforms from the image column to the pixel vector.</param>
/// <param name="PixelColumnName">The column the preprocessing writes the pixel vector to.</param>
internal sealed record ImageInput(ImageTensorDataset Data, ITransformer Preprocessing, string PixelColumnName);
