using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>A service started without models: every scoring endpoint answers 404 with a JSON message naming its setting.</summary>
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
}
