using System.Buffers.Binary;
using System.Text.Json;

namespace Microsoft.ML.Reparam.WebService.Tests;

/// <summary>Refused uploads, sent to a scoring endpoint (/classify) and to a restoration endpoint (/denoise).</summary>
public sealed partial class ServiceTests
{
    private static readonly object[][] BadUploadCases =
    [
        ["not an image", 400, "is not a PNG, JPEG, BMP or GIF image"],
        ["truncated PNG", 400, "is a truncated png image"],
        ["0x0 image", 400, "declares an empty image (0x0)"],
        ["20000x20000 header", 413, "is 20000x20000 (400000000 pixels)"],
        ["wrong field name", 400, "has no file field named 'image' (fields: 'picture')"],
        ["wrong content type", 415, "has content type 'text/plain'"],
        ["not multipart", 400, "Send the image as multipart/form-data"],
        ["body over the limit", 413, "The request was refused"],
    ];

    public static IEnumerable<object[]> BadUploads =>
        from route in new[] { "/classify", "/denoise" }
        from upload in BadUploadCases
        select upload.Prepend(route).ToArray();

    [TestMethod]
    [DynamicData(nameof(BadUploads))]
    public async Task ABadUploadGetsA4xxWithAMessage(string route, string upload, int status, string message)
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

        using var response = await client.PostAsync(route, content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.AreEqual(status, (int)response.StatusCode, body);
        StringAssert.Contains(JsonDocument.Parse(body).RootElement.GetProperty("error").GetString(), message);
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
