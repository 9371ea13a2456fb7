using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>Trains a small classifier (a Model Builder-style chain that maps the label) and an upscaler once, saves them as stock .zip files (input: an in-memory image), and starts the service on them.</summary>
internal sealed class ServiceFixture : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("service-test-").FullName;

    public ServiceFixture()
    {
        var mlContext = new MLContext(1);
        var fashion = FashionMnist.LoadEmbedded().Test.Take(160);
        var view = fashion.ToDataView(mlContext);
        // Model Builder style: the saved chain maps the text label to a key and the predicted key back to the class name.
        var chain = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.ReparamConv(new ReparamConvTrainerOptions
            {
                StageWidths = [8, 16],
                StageDepths = [1, 1],
                StageStrides = [2, 2],
                Epochs = 2,
                BatchSize = 16,
                ValidationFraction = 0,
                FoldCheckImages = 4,
                Seed = 1,
            }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        var model = chain.Fit(view);
        ClassifierPath = Path.Combine(_folder, "classifier.zip");
        mlContext.Model.Save(model, view.Schema, ClassifierPath);
        ((IDisposable)model.ElementAt(1)).Dispose();
        Images = [.. Enumerable.Range(0, 24).Select(i => Png(fashion.ToMLImage(i)))];
        using var upscaler = mlContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions
        {
            Depth = 1,
            Width = 4,
            PatchSize = 8,
            PatchesPerImage = 4,
            Epochs = 1,
            BatchSize = 8,
            ImageWidth = 12,
            ImageHeight = 10,
            FoldCheckImages = 2,
            Seed = 1,
        }).Fit(view);
        UpscalerPath = Path.Combine(_folder, "upscaler.zip");
        mlContext.Model.Save(upscaler, view.Schema, UpscalerPath);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("Service:Classifier", ClassifierPath)
            .UseSetting("Service:Upscaler", UpscalerPath)
            .UseSetting("Service:MaxUploadBytes", $"{MaxUploadBytes}"));
    }

    public const long MaxUploadBytes = 1 << 20;

    public string ClassifierPath { get; }

    /// <summary>Gets a ×2 upscaler whose saved chain takes 12×10 images.</summary>
    public string UpscalerPath { get; }

    /// <summary>Gets 24 embedded test images as PNG files.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public static MultipartFormDataContent Upload(byte[] bytes, string field = "image", string contentType = "image/png", string fileName = "upload.png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    public void Dispose()
    {
        Factory.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private byte[] Png(MLImage image)
    {
        using (image)
        {
            var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.png");
            image.Save(path);
            return File.ReadAllBytes(path);
        }
    }
}
