using Microsoft.ML.Transforms.Image;
using Microsoft.Extensions.ObjectPool;

namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>What a request gives a model: the decoded image, or the path of a copy of the upload for models saved behind <c>LoadImages</c>.</summary>
public sealed class ImageRequest
{
    [ImageType(1, 1)] // ML.NET needs a declared size; the models' chains resize whatever size comes
    public MLImage? Image { get; set; }

    public string? ImagePath { get; set; }
}

/// <summary>
/// One saved model, loaded at start-up, and a pool of prediction engines over it. ML.NET's <c>PredictionEngine</c> is
/// not thread-safe, so each request borrows one from the pool (Microsoft.Extensions.ObjectPool; the
/// Microsoft.Extensions.ML pool is not available here) and returns it. Engines are made with
/// <c>OwnsTransformer = false</c>: by default a disposed engine disposes the model it was made from.
/// </summary>
/// <typeparam name="TOutput">The output row type.</typeparam>
public sealed class ModelHost<TOutput> : IDisposable
    where TOutput : class, new()
{
    private readonly ITransformer _model;
    private readonly DefaultObjectPool<PredictionEngine<ImageRequest, TOutput>> _engines;

    public ModelHost(MLContext mlContext, string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _model = mlContext.Model.Load(Path, out var inputSchema);
        var definition = SchemaDefinition.Create(typeof(ImageRequest));
        if (inputSchema.GetColumnOrNull("ImagePath") is { Type: TextDataViewType })
        {
            TakesPath = true;
            definition.Remove(definition[nameof(ImageRequest.Image)]);
        }
        else
        {
            // ML.NET does not write image columns into a saved input schema: a model saved over in-memory images reads
            // an image column "Image", of any size (its chain resizes; the declared size is ML.NET's registered type).
            definition.Remove(definition[nameof(ImageRequest.ImagePath)]);
        }

        OutputSchema = _model.GetOutputSchema(SchemaOf(mlContext, definition));
        var options = new PredictionEngineOptions { InputSchemaDefinition = definition, OwnsTransformer = false };
        _engines = new DefaultObjectPool<PredictionEngine<ImageRequest, TOutput>>(new EnginePolicy(() => mlContext.Model.CreatePredictionEngine<ImageRequest, TOutput>(_model, options)), Environment.ProcessorCount * 2);
    }

    public string Path { get; }

    /// <summary>Gets a value indicating whether the model reads image files (saved behind LoadImages) rather than images.</summary>
    public bool TakesPath { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>Scores one image with a pooled engine.</summary>
    public TOutput Predict(MLImage image, byte[] bytes)
    {
        string? file = null;
        var engine = _engines.Get();
        try
        {
            var request = new ImageRequest { Image = image };
            if (TakesPath)
            {
                file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"upload-{Guid.NewGuid():N}.img");
                File.WriteAllBytes(file, bytes);
                request = new ImageRequest { ImagePath = file };
            }

            return engine.Predict(request);
        }
        finally
        {
            _engines.Return(engine);
            if (file is not null)
            {
                File.Delete(file);
            }
        }
    }

    public void Dispose() => (_model as IDisposable)?.Dispose();

    private static DataViewSchema SchemaOf(MLContext mlContext, SchemaDefinition definition) =>
        mlContext.Data.LoadFromEnumerable(Array.Empty<ImageRequest>(), definition).Schema;

    private sealed class EnginePolicy(Func<PredictionEngine<ImageRequest, TOutput>> create) : PooledObjectPolicy<PredictionEngine<ImageRequest, TOutput>>
    {
        public override PredictionEngine<ImageRequest, TOutput> Create() => create();

        public override bool Return(PredictionEngine<ImageRequest, TOutput> engine) => true;
    }
}
