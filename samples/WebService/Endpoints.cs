namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>
/// The scoring endpoints: each reads one uploaded image within the limits and answers from a pooled engine. An endpoint
/// whose model is not configured answers 404 with a JSON message naming the setting that configures it.
/// </summary>
public static class Endpoints
{
    /// <summary>Maps /health and the four scoring endpoints (null models get the 404 answer).</summary>
    public static void Map(WebApplication app, ServiceOptions limits, ModelHost? classifier, ModelHost? segmenter, ModelHost? upscaler, ModelHost? denoiser)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(limits);
        app.MapGet("/health", () => Results.Json(new
        {
            status = "ok",
            models = new { classify = classifier?.Path, segment = segmenter?.Path, upscale = upscaler?.Path, denoise = denoiser?.Path },
        }));

        if (classifier is null)
        {
            MapMissing(app, "/classify", nameof(ServiceOptions.Classifier));
        }
        else
        {
            var names = ClassNames(classifier.OutputSchema);
            app.MapPost("/classify", async (HttpRequest request) =>
            {
                var (image, bytes) = await UploadedImage.ReadAsync(request, limits, limits.MaxImagePixels, nameof(ServiceOptions.MaxImagePixels));
                using (image)
                {
                    var scores = classifier.Predict<ClassScores>(image, bytes).Score;
                    var best = Array.IndexOf(scores, scores.Max());
                    return Results.Json(new { label = names[best], scores = names.Zip(scores).ToDictionary(p => p.First, p => p.Second) });
                }
            });
        }

        if (segmenter is null)
        {
            MapMissing(app, "/segment", nameof(ServiceOptions.Segmenter));
        }
        else
        {
            var classes = MaskClasses(segmenter.OutputSchema);
            app.MapPost("/segment", async (HttpRequest request, string? format) =>
            {
                var (image, bytes) = await UploadedImage.ReadAsync(request, limits, limits.MaxImagePixels, nameof(ServiceOptions.MaxImagePixels));
                using (image)
                {
                    var mask = segmenter.Predict<MaskOutput>(image, bytes).PredictedMask.DenseValues().Select(k => (int)k - 1).ToArray();
                    var (height, width) = MaskSize(segmenter.OutputSchema, mask.Length);
                    return format == "json"
                        ? Results.Json(new { width, height, classes, mask })
                        : Results.File(Png.FromGray(mask.Select(c => (byte)Math.Max(c, 0)).ToArray(), width, height), "image/png");
                }
            });
        }

        MapRestorer(app, "/upscale", upscaler, nameof(ServiceOptions.Upscaler), limits);
        MapRestorer(app, "/denoise", denoiser, nameof(ServiceOptions.Denoiser), limits);
    }

    private static void MapRestorer(WebApplication app, string route, ModelHost? restorer, string setting, ServiceOptions limits)
    {
        if (restorer is null)
        {
            MapMissing(app, route, setting);
            return;
        }

        app.MapPost(route, async (HttpRequest request) =>
        {
            var (image, bytes) = await UploadedImage.ReadAsync(request, limits, limits.MaxRestorationPixels, nameof(ServiceOptions.MaxRestorationPixels));
            using (image)
            {
                using var restored = restorer.PredictImage(image, bytes, "RestoredImage");
                return Results.File(Png.FromImage(restored), "image/png");
            }
        });
    }

    /// <summary>
    /// Answers an endpoint without a model with 404 and <c>{"error": …}</c>, the shape of every other refusal, naming
    /// the model and its setting (the upload page shows the message; an unmapped route would answer with an empty body).
    /// </summary>
    private static void MapMissing(WebApplication app, string route, string setting) => app.MapPost(route, () => Results.Json(
        new { error = $"POST {route} is not available: no {setting.ToLowerInvariant()} model is configured. Set Service:{setting} (appsettings.json, or the environment variable Service__{setting}) to a saved model .zip and restart the service." },
        statusCode: StatusCodes.Status404NotFound));

    /// <summary>The Score column's slot names (ML.NET's multiclass scorer copies the label's key values there), or class indices.</summary>
    private static string[] ClassNames(DataViewSchema output)
    {
        var score = output["Score"];
        var count = ((VectorDataViewType)score.Type).Size;
        if (score.HasSlotNames())
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            score.GetSlotNames(ref names);
            return [.. names.DenseValues().Select(n => n.ToString())];
        }

        return [.. Enumerable.Range(0, count).Select(i => $"{i}")];
    }

    private static string[] MaskClasses(DataViewSchema output)
    {
        VBuffer<ReadOnlyMemory<char>> names = default;
        output["PredictedMask"].GetKeyValues(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static (int Height, int Width) MaskSize(DataViewSchema output, int length) =>
        output["PredictedMask"].Type is VectorDataViewType { Dimensions: [var height, var width] } ? (height, width) : (1, length);
}
