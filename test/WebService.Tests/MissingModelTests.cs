using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>A service started without models (every scoring endpoint answers 404 with a JSON message naming its setting), or with a model it cannot use (refused at start, naming the file).</summary>
[TestClass]
public sealed class MissingModelTests
{
    [TestMethod]
    public async Task AnEndpointWithoutAModelAnswers404WithAMessageNamingItsSetting()
    {
        // appsettings.json names a classifier; an empty setting (as Service__Classifier= would) leaves it out.
        using var root = new WebApplicationFactory<Program>();
        using var factory = root.WithWebHostBuilder(host => host.UseSetting("Service:Classifier", string.Empty));
        using var client = factory.CreateClient();

        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        foreach (var (route, setting, model) in new[] { ("/classify", "Classifier", "classifier"), ("/segment", "Segmenter", "segmenter"), ("/upscale", "Upscaler", "upscaler"), ("/denoise", "Denoiser", "denoiser") })
        {
            using var response = await client.PostAsync(route, ServiceFixture.Upload("any upload"u8.ToArray()));
            var body = await response.Content.ReadAsStringAsync();

            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode, body);
            Assert.AreEqual("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.AreEqual(
                $"POST {route} is not available: no {model} model is configured. Set Service:{setting} (appsettings.json, or the environment variable Service__{setting}) to a saved model .zip and restart the service.",
                JsonDocument.Parse(body).RootElement.GetProperty("error").GetString());
            Assert.AreEqual(JsonValueKind.Null, health.GetProperty("models").GetProperty(route[1..]).ValueKind);
        }
    }

    [TestMethod]
    public void AModelSavedWithoutItsInputSchemaIsRefusedAtStartNamingTheFile()
    {
        var mlContext = new MLContext(1);
        var data = mlContext.Data.LoadFromEnumerable(new[] { new TextRow { Text = "a" } });
        var path = Path.Combine(Path.GetTempPath(), $"no-schema-{Guid.NewGuid():N}.zip");
        try
        {
            mlContext.Model.Save(mlContext.Transforms.CopyColumns("Copy", nameof(TextRow.Text)).Fit(data), null, path);
            using var root = new WebApplicationFactory<Program>();
            using var factory = root.WithWebHostBuilder(host => host.UseSetting("Service:Classifier", path));

            var error = Assert.ThrowsExactly<InvalidDataException>(() => factory.CreateClient().Dispose());

            StringAssert.Contains(error.Message, $"Model '{path}' was saved without its input schema");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = string.Empty;
    }
}
