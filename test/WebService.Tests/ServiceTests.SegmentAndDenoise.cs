using System.Net;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>/segment and /denoise answer what the fitted models give in process; the restoration pixel limit.</summary>
public sealed partial class ServiceTests
{
    [TestMethod]
    public async Task SegmentAnswersTheMaskOfInProcessScoring()
    {
        using var client = s_service.Factory.CreateClient();
        var distinct = new HashSet<int>();

        // Two unseen 32×32 scenes and a 28×28 garment: the saved chain resizes every image to the model's 32×32.
        foreach (var png in s_service.Scenes.Append(s_service.Images[5]))
        {
            var (expected, height, width) = SegmentInProcess(png);
            using var numbers = await client.PostAsync("/segment?format=json", ServiceFixture.Upload(png));
            using var gray = await client.PostAsync("/segment", ServiceFixture.Upload(png));
            var answer = JsonDocument.Parse(await numbers.Content.ReadAsStringAsync()).RootElement;
            var maskPng = await gray.Content.ReadAsByteArrayAsync();

            Assert.AreEqual(HttpStatusCode.OK, numbers.StatusCode, answer.ToString());
            Assert.AreEqual((32, 32), (height, width));
            Assert.AreEqual((width, height), (answer.GetProperty("width").GetInt32(), answer.GetProperty("height").GetInt32()));
            CollectionAssert.AreEqual(s_service.Segmenter.ClassNames.ToArray(), answer.GetProperty("classes").EnumerateArray().Select(c => c.GetString()).ToArray());
            CollectionAssert.AreEqual(expected, answer.GetProperty("mask").EnumerateArray().Select(k => k.GetInt32()).ToArray());
            Assert.AreEqual(HttpStatusCode.OK, gray.StatusCode);
            Assert.AreEqual("image/png", gray.Content.Headers.ContentType?.MediaType);
            using var picture = MLImage.CreateFromStream(new MemoryStream(maskPng));
            Assert.AreEqual((width, height), (picture.Width, picture.Height));
            CollectionAssert.AreEqual(expected, Rgb(picture).Where((_, i) => i % 3 == 0).Select(v => (int)v).ToArray());
            Assert.IsTrue(expected.All(c => c is >= 0 and < 11));
            distinct.UnionWith(expected);
        }

        Assert.IsGreaterThan(1, distinct.Count, "the masks hold background and garments, not one constant class");
    }

    [TestMethod]
    public async Task DenoiseAnswersAPngOfTheModelsSizeEqualToInProcessScoring()
    {
        using var client = s_service.Factory.CreateClient();
        foreach (var png in new[] { s_service.Images[7], s_service.Scenes[0] })
        {
            using var response = await client.PostAsync("/denoise", ServiceFixture.Upload(png));
            var restored = await response.Content.ReadAsByteArrayAsync();
            using var image = MLImage.CreateFromStream(new MemoryStream(png));
            using var expected = s_service.Denoiser.Transform(OneImage(image)).GetColumn<MLImage>("RestoredImage").Single();

            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
            using var answer = MLImage.CreateFromStream(new MemoryStream(restored));
            Assert.AreEqual((20, 16), (expected.Width, expected.Height));
            Assert.AreEqual((20, 16), (answer.Width, answer.Height));
            CollectionAssert.AreEqual(Rgb(expected), Rgb(answer));
        }
    }

    [TestMethod]
    public async Task AnImageAboveTheRestorationLimitGets413NamingTheSettingWhileSegmentTakesIt()
    {
        using var client = s_service.Factory.CreateClient();
        var bgra = new byte[80 * 60 * 4];
        for (var i = 0; i < bgra.Length; i++)
        {
            bgra[i] = i % 4 == 3 ? (byte)255 : (byte)(i / 4 % 80 * 3);
        }

        var png = s_service.Png(MLImage.CreateFromPixels(80, 60, MLPixelFormat.Bgra32, bgra)); // 4800 pixels > 64² = 4096

        foreach (var route in new[] { "/upscale", "/denoise" })
        {
            using var response = await client.PostAsync(route, ServiceFixture.Upload(png, fileName: "large.png"));
            var body = await response.Content.ReadAsStringAsync();

            Assert.AreEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode, body);
            Assert.AreEqual(
                $"The file 'large.png' is 80x60 (4800 pixels); {route} takes at most {ServiceFixture.MaxRestorationPixels} pixels (Service:MaxRestorationPixels) and 8192 per side (Service:MaxImageSide).",
                JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
        }

        using var segmented = await client.PostAsync("/segment?format=json", ServiceFixture.Upload(png));
        var mask = JsonDocument.Parse(await segmented.Content.ReadAsStringAsync()).RootElement;
        Assert.AreEqual(HttpStatusCode.OK, segmented.StatusCode);
        CollectionAssert.AreEqual(SegmentInProcess(png).Mask, mask.GetProperty("mask").EnumerateArray().Select(k => k.GetInt32()).ToArray());
    }

    /// <summary>The fitted segmenter's mask for the decoded PNG: class ids (key − 1), row-major, and the mask's size.</summary>
    private static (int[] Mask, int Height, int Width) SegmentInProcess(byte[] png)
    {
        using var image = MLImage.CreateFromStream(new MemoryStream(png));
        var scored = s_service.Segmenter.Transform(OneImage(image));
        var dimensions = ((VectorDataViewType)scored.Schema["PredictedMask"].Type).Dimensions;
        var mask = scored.GetColumn<VBuffer<uint>>("PredictedMask").Single().DenseValues().Select(k => (int)k - 1).ToArray();
        return (mask, dimensions[0], dimensions[1]);
    }

    private static IDataView OneImage(MLImage image) =>
        s_service.MLContext.Data.LoadFromEnumerable([new ImageRow { Image = image }], SchemaDefinition.Create(typeof(ImageRow)));

    /// <summary>The image's pixels as R, G, B bytes, whichever byte order it holds them in.</summary>
    private static byte[] Rgb(MLImage image)
    {
        var (pixels, red) = (image.Pixels.ToArray(), image.PixelFormat == MLPixelFormat.Bgra32 ? 2 : 0);
        var rgb = new byte[pixels.Length / 4 * 3];
        for (var i = 0; i < pixels.Length / 4; i++)
        {
            (rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]) = (pixels[(4 * i) + red], pixels[(4 * i) + 1], pixels[(4 * i) + 2 - red]);
        }

        return rgb;
    }

    private sealed class ImageRow
    {
        [ImageType(1, 1)] // the size a column must declare; the chain resizes whatever size comes
        public MLImage Image { get; set; } = null!;
    }
}
