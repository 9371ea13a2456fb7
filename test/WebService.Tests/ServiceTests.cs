using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>The service sample over real HTTP: answers, concurrency, and bad uploads answered with 4xx and a message.</summary>
[TestClass]
public sealed class ServiceTests
{
    private static ServiceFixture s_service = null!;

    [ClassInitialize]
    public static void Start(TestContext context) => s_service = new ServiceFixture();

    [ClassCleanup]
    public static void Stop() => s_service.Dispose();

    [TestMethod]
    public async Task HealthListsTheLoadedModelAndThePageHasAnUploadForm()
    {
        using var client = s_service.Factory.CreateClient();

        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        var page = await client.GetStringAsync("/");

        Assert.AreEqual("ok", health.GetProperty("status").GetString());
        Assert.AreEqual(Path.GetFullPath(s_service.ClassifierPath), health.GetProperty("models").GetProperty("classify").GetString());
        StringAssert.Contains(page, "<input type=\"file\"");
        StringAssert.Contains(page, "/classify");
    }

    [TestMethod]
    public void TheServiceShipsStockMLNetOnly()
    {
        var deps = RepositoryOutput.Of("samples/WebService", "WebService.deps.json");

        var text = File.ReadAllText(deps);

        StringAssert.Contains(text, "Microsoft.ML.OnnxTransformer");
        Assert.DoesNotContain("TorchSharp", text);
        Assert.DoesNotContain("Microsoft.ML.Reparam\"", text.Replace("Microsoft.ML.Reparam.Samples", string.Empty, StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task EightConcurrentClientsGetTheAnswersOfSequentialRequests()
    {
        using var client = s_service.Factory.CreateClient();
        var sequential = new List<string>();
        foreach (var image in s_service.Images)
        {
            sequential.Add(await Classify(client, image));
        }

        var mismatches = 0;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async c =>
        {
            using var own = s_service.Factory.CreateClient();
            for (var i = 0; i < 200; i++)
            {
                var index = (i + (c * 5)) % s_service.Images.Count;
                if (await Classify(own, s_service.Images[index]) != sequential[index])
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        }));

        Assert.AreEqual(0, mismatches);
        var first = JsonDocument.Parse(sequential[0]).RootElement;
        Assert.HasCount(10, first.GetProperty("scores").EnumerateObject().ToList());
        Assert.AreEqual(1.0, first.GetProperty("scores").EnumerateObject().Sum(p => p.Value.GetDouble()), 1e-5);
    }

    [TestMethod]
    public async Task UpscaleAnswersWithAPngOfTheModelsOutputSize()
    {
        using var client = s_service.Factory.CreateClient();

        using var response = await client.PostAsync("/upscale", ServiceFixture.Upload(s_service.Images[3]));
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.AreEqual("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.AreEqual((24u, 20u), (BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20))));
    }

    public static IEnumerable<object[]> BadUploads =>
    [
        ["not an image", 400, "is not a PNG, JPEG, BMP or GIF image"],
        ["truncated PNG", 400, "is a truncated png image"],
        ["0x0 image", 400, "declares an empty image (0x0)"],
        ["20000x20000 header", 413, "is 20000x20000"],
        ["wrong field name", 400, "has no file field named 'image' (fields: 'picture')"],
        ["wrong content type", 415, "has content type 'text/plain'"],
        ["not multipart", 400, "Send the image as multipart/form-data"],
        ["body over the limit", 413, "The request was refused"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadUploads))]
    public async Task ABadUploadGetsA4xxWithAMessage(string upload, int status, string message)
    {
        using var client = s_service.Factory.CreateClient();
        var png = s_service.Images[0];
        HttpContent content = upload switch
        {
            "not an image" => ServiceFixture.Upload("hello, not an image"u8.ToArray()),
            "truncated PNG" => ServiceFixture.Upload(png[..(png.Length / 2)]),
            "0x0 image" => ServiceFixture.Upload(WithSize(png, 0, 0)),
            "20000x20000 header" => ServiceFixture.Upload(WithSize(png, 20000, 20000)),
            "wrong field name" => ServiceFixture.Upload(png, field: "picture"),
            "wrong content type" => ServiceFixture.Upload(png, contentType: "text/plain"),
            "not multipart" => new ByteArrayContent(png),
            _ => ServiceFixture.Upload(new byte[ServiceFixture.MaxUploadBytes + 1]),
        };

        using var response = await client.PostAsync("/classify", content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.AreEqual(status, (int)response.StatusCode, body);
        StringAssert.Contains(JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), message);
    }

    private static async Task<string> Classify(HttpClient client, byte[] image)
    {
        using var response = await client.PostAsync("/classify", ServiceFixture.Upload(image));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The PNG with the width and height of its IHDR chunk replaced (the rest, CRC included, unchanged).</summary>
    private static byte[] WithSize(byte[] png, uint width, uint height)
    {
        var copy = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        return copy;
    }
}
