using Microsoft.Extensions.ObjectPool;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>What a request gives a model: the decoded image, or the path of a copy of the upload for models saved behind <c>LoadImages</c>.</summary>
public sealed class ImageRequest
{
    [ImageType(1, 1)] // ML.NET needs a declared size; the models' chains resize whatever size comes
    public MLImage? Image { get; set; }

    public string? ImagePath { get; set; }

    /// <summary>Gets or sets an empty label, for models saved with their training chain's label mapping (Model Builder style).</summary>
    public string Label { get; set; } = string.Empty;
}

/// <summary>
/// One saved model, loaded at start-up. Row outputs (scores, masks) come from pooled prediction engines: ML.NET's
/// <c>PredictionEngine</c> is not thread-safe, so each request borrows one from a pool (Microsoft.Extensions.ObjectPool;
/// the Microsoft.Extensions.ML pool is not available here) and returns it. Engines are made with
/// <c>OwnsTransformer = false</c>: by default a disposed engine disposes the model it was made from. Image outputs come
/// from <c>Transform</c> over a one-row view (thread-safe on a shared model), since a prediction engine's output class
/// would have to declare the image's size.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private readonly MLContext _mlContext;
    private readonly ITransformer _model;
    private readonly SchemaDefinition _input;
    private readonly Dictionary<Type, object> _pools = [];

    public ModelHost(MLContext mlContext, string path)
    {
        _mlContext = mlContext;
        Path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"Model '{Path}' does not exist (a relative path is taken from the folder the service runs in; `dotnet run --project samples/WebService` runs it in samples/WebService). Train it first — the README shows how — or set its path in the Service section of appsettings.json.", Path);
        }

        _model = mlContext.Model.Load(Path, out var inputSchema);
        if (inputSchema is null)
        {
            throw new InvalidDataException($"Model '{Path}' was saved without its input schema (Model.Save(model, null, path)); the service needs it to know whether the model reads image files or images. Save it with the schema of the data it was trained on.");
        }

        _input = SchemaDefinition.Create(typeof(ImageRequest));
        TakesPath = inputSchema.GetColumnOrNull("ImagePath") is { Type: TextDataViewType };

        // ML.NET does not write image columns into a saved input schema: a model saved over in-memory images reads an
        // image column "Image", of any size (its chain resizes; the declared size is ML.NET's registered type).
        _input.Remove(_input[TakesPath ? nameof(ImageRequest.Image) : nameof(ImageRequest.ImagePath)]);
        if (inputSchema.GetColumnOrNull("Label") is not { Type: TextDataViewType })
        {
            _input.Remove(_input[nameof(ImageRequest.Label)]);
        }

        OutputSchema = _model.GetOutputSchema(_mlContext.Data.LoadFromEnumerable(Array.Empty<ImageRequest>(), _input).Schema);
    }

    public string Path { get; }

    /// <summary>Gets a value indicating whether the model reads image files (saved behind LoadImages) rather than images.</summary>
    public bool TakesPath { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>Scores one image with a pooled engine.</summary>
    public TOutput Predict<TOutput>(MLImage image, byte[] bytes)
        where TOutput : class, new()
    {
        var pool = Pool<TOutput>();
        var engine = pool.Get();
        try
        {
            return WithRequest(image, bytes, engine.Predict);
        }
        finally
        {
            pool.Return(engine);
        }
    }

    /// <summary>Scores one image and returns a copy of the image in output column <paramref name="column"/>.</summary>
    public MLImage PredictImage(MLImage image, byte[] bytes, string column) => WithRequest(image, bytes, request =>
    {
        var scored = _model.Transform(_mlContext.Data.LoadFromEnumerable([request], _input));
        using var result = scored.GetColumn<MLImage>(column).Single();
        return MLImage.CreateFromPixels(result.Width, result.Height, result.PixelFormat, result.Pixels);
    });

    public void Dispose() => (_model as IDisposable)?.Dispose();

    private T WithRequest<T>(MLImage image, byte[] bytes, Func<ImageRequest, T> score)
    {
        if (!TakesPath)
        {
            return score(new ImageRequest { Image = image });
        }

        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"upload-{Guid.NewGuid():N}.img");
        try
        {
            File.WriteAllBytes(file, bytes);
            return score(new ImageRequest { ImagePath = file });
        }
        finally
        {
            File.Delete(file);
        }
    }

    private DefaultObjectPool<PredictionEngine<ImageRequest, TOutput>> Pool<TOutput>()
        where TOutput : class, new()
    {
        lock (_pools)
        {
            if (!_pools.TryGetValue(typeof(TOutput), out var pool))
            {
                var options = new PredictionEngineOptions { InputSchemaDefinition = _input, OwnsTransformer = false };
                pool = new DefaultObjectPool<PredictionEngine<ImageRequest, TOutput>>(new EnginePolicy<TOutput>(() => _mlContext.Model.CreatePredictionEngine<ImageRequest, TOutput>(_model, options)), Environment.ProcessorCount * 2);
                _pools[typeof(TOutput)] = pool;
            }

            return (DefaultObjectPool<PredictionEngine<ImageRequest, TOutput>>)pool;
        }
    }

    private sealed class EnginePolicy<TOutput>(Func<PredictionEngine<ImageRequest, TOutput>> create) : PooledObjectPolicy<PredictionEngine<ImageRequest, TOutput>>
        where TOutput : class, new()
    {
        public override PredictionEngine<ImageRequest, TOutput> Create() => create();

        public override bool Return(PredictionEngine<ImageRequest, TOutput> engine) => true;
    }
}
