using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>
/// The service sample over real HTTP: answers, concurrency, and bad uploads answered with 4xx and a message (the class
/// is split over ServiceTests.*.cs; one fixture trains the models for all of it).
/// </summary>
[TestClass]
public sealed partial class ServiceTests
{
    private static ServiceFixture s_service = null!;

    [ClassInitialize]
    public static void Start(TestContext context) => s_service = new ServiceFixture();

    [ClassCleanup]
    public static void Stop() => s_service.Dispose();

    [TestMethod]
    public async Task HealthListsTheLoadedModelsAndThePageHasAnUploadForm()
    {
        using var client = s_service.Factory.CreateClient();

        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        var page = await client.GetStringAsync("/");

        Assert.AreEqual("ok", health.GetProperty("status").GetString());
        var models = health.GetProperty("models");
        Assert.AreEqual(Path.GetFullPath(s_service.ClassifierPath), models.GetProperty("classify").GetString());
        Assert.AreEqual(Path.GetFullPath(s_service.SegmenterPath), models.GetProperty("segment").GetString());
        Assert.AreEqual(Path.GetFullPath(s_service.UpscalerPath), models.GetProperty("upscale").GetString());
        Assert.AreEqual(Path.GetFullPath(s_service.DenoiserPath), models.GetProperty("denoise").GetString());
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

    private static async Task<string> Classify(HttpClient client, byte[] image)
    {
        using var response = await client.PostAsync("/classify", ServiceFixture.Upload(image));
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
