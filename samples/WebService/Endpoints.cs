namespace Microsoft.ML.Reparam.Samples.WebService;

/// <summary>The scoring endpoints: each reads one uploaded image within the limits and answers from a pooled engine.</summary>
public static class Endpoints
{
    public static void Map(WebApplication app, ServiceOptions limits, ModelHost? classifier, ModelHost? segmenter, ModelHost? upscaler, ModelHost? denoiser)
    {
        app.MapGet("/health", () => Results.Json(new
        {
            status = "ok",
            models = new { classify = classifier?.Path, segment = segmenter?.Path, upscale = upscaler?.Path, denoise = denoiser?.Path },
        }));

        if (classifier is not null)
        {
            var names = ClassNames(classifier.OutputSchema);
            app.MapPost("/classify", async (HttpRequest request) =>
            {
                var (image, bytes) = await UploadedImage.ReadAsync(request, limits, limits.MaxImagePixels);
                using (image)
                {
                    var scores = classifier.Predict<ClassScores>(image, bytes).Score;
                    var best = Array.IndexOf(scores, scores.Max());
                    return Results.Json(new { label = names[best], scores = names.Zip(scores).ToDictionary(p => p.First, p => p.Second) });
                }
            });
        }

        if (segmenter is not null)
        {
            var classes = MaskClasses(segmenter.OutputSchema);
            app.MapPost("/segment", async (HttpRequest request, string? format) =>
            {
                var (image, bytes) = await UploadedImage.ReadAsync(request, limits, limits.MaxImagePixels);
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

        MapRestorer(app, "/upscale", upscaler, limits);
        MapRestorer(app, "/denoise", denoiser, limits);
    }

    private static void MapRestorer(WebApplication app, string route, ModelHost? restorer, ServiceOptions limits)
    {
        if (restorer is null)
        {
            return;
        }

        app.MapPost(route, async (HttpRequest request) =>
        {
            var (image, bytes) = await UploadedImage.ReadAsync(request, limits, limits.MaxRestorationPixels);
            using (image)
            {
                using var restored = restorer.PredictImage(image, bytes, "RestoredImage");
                return Results.File(Png.FromImage(restored), "image/png");
            }
        });
    }

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
