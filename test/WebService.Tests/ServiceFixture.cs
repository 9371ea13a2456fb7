using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>
/// Trains one tiny model of each kind once (<see cref="TinyModels"/>), saves them as stock .zip files (input: an
/// in-memory image; the segmenter's: an image path), and starts the service on them. The fitted segmenter and denoiser
/// stay loaded for in-process scoring.
/// </summary>
internal sealed class ServiceFixture : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("service-test-").FullName;

    public ServiceFixture()
    {
        var fashion = FashionMnist.LoadEmbedded().Test.Take(160);
        var view = fashion.ToDataView(MLContext);
        var classifier = TinyModels.Classifier(MLContext, view);
        ClassifierPath = Save(classifier, view, "classifier.zip");
        ((IDisposable)classifier.ElementAt(1)).Dispose();
        Images = [.. Enumerable.Range(0, 24).Select(i => Png(fashion.ToMLImage(i)))];
        using (var upscaler = TinyModels.Upscaler(MLContext, view))
        {
            UpscalerPath = Save(upscaler, view, "upscaler.zip");
        }

        var scenes = SegmentationImages.Synthetic(40, size: 32, seed: 3, garments: 2);
        Segmenter = TinyModels.Segmenter(MLContext, scenes);
        // Saved behind LoadImages, as the samples save models (ML.NET saves no input schema of image columns only): the
        // service writes each upload to a file for it.
        var paths = MLContext.Data.LoadFromEnumerable(Array.Empty<PathRow>());
        SegmenterPath = Save(MLContext.Transforms.LoadImages("Image", null, nameof(PathRow.ImagePath)).Fit(paths).Append(Segmenter), paths, "segmenter.zip");
        var unseen = SegmentationImages.Synthetic(2, size: 32, seed: 9, garments: 2);
        Scenes = [.. Enumerable.Range(0, unseen.Count).Select(i => Png(unseen.ImageAt(i)))];
        Denoiser = TinyModels.Denoiser(MLContext, view);
        DenoiserPath = Save(Denoiser, view, "denoiser.zip");
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("Service:Classifier", ClassifierPath)
            .UseSetting("Service:Upscaler", UpscalerPath)
            .UseSetting("Service:Segmenter", SegmenterPath)
            .UseSetting("Service:Denoiser", DenoiserPath)
            .UseSetting("Service:MaxUploadBytes", $"{MaxUploadBytes}")
            .UseSetting("Service:MaxRestorationPixels", $"{MaxRestorationPixels}"));
    }

    public const long MaxUploadBytes = 1 << 20;

    /// <summary>The restoration endpoints' pixel limit: 64², below the service's general limit.</summary>
    public const long MaxRestorationPixels = 64 * 64;

    public MLContext MLContext { get; } = new(1);

    public string ClassifierPath { get; }

    /// <summary>Gets a ×2 upscaler whose saved chain takes 12×10 images.</summary>
    public string UpscalerPath { get; }

    public string SegmenterPath { get; }

    /// <summary>Gets a denoiser whose saved chain takes 20×16 images.</summary>
    public string DenoiserPath { get; }

    /// <summary>Gets the fitted segmenter the service's segmenter.zip was saved from (32×32 masks, 11 classes).</summary>
    public ReparamSegmentationTransformer Segmenter { get; }

    /// <summary>Gets the fitted denoiser the service's denoiser.zip was saved from.</summary>
    public ReparamRestorationTransformer Denoiser { get; }

    /// <summary>Gets 24 embedded test images (28×28) as PNG files.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    /// <summary>Gets two 32×32 synthetic scenes the segmenter was not trained on, as PNG files.</summary>
    public IReadOnlyList<byte[]> Scenes { get; }

    public WebApplicationFactory<Program> Factory { get; }

    public static MultipartFormDataContent Upload(byte[] bytes, string field = "image", string contentType = "image/png", string fileName = "upload.png")
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, field, fileName } };
    }

    /// <summary>Encodes the image as a PNG file's bytes and disposes it.</summary>
    public byte[] Png(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using (image)
        {
            var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.png");
            image.Save(path);
            return File.ReadAllBytes(path);
        }
    }

    public void Dispose()
    {
        Factory.Dispose();
        Segmenter.Dispose();
        Denoiser.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string Save(ITransformer model, IDataView data, string name)
    {
        var path = Path.Combine(_folder, name);
        MLContext.Model.Save(model, data.Schema, path);
        return path;
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;
    }
}
