using Microsoft.AspNetCore.Http.Features;
using Microsoft.ML.Reparam.Samples.WebService;

// Serves saved ML.NET models (.zip, stock transformers only) over HTTP. Models load once at start-up from the paths in
// the "Service" configuration section; each endpoint takes one image as multipart/form-data field "image".
var builder = WebApplication.CreateBuilder(args);
var limits = builder.Configuration.GetSection("Service").Get<ServiceOptions>() ?? new ServiceOptions();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = limits.MaxUploadBytes);
builder.Services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = limits.MaxUploadBytes);

var mlContext = new MLContext(1);
var classifier = limits.Classifier is { Length: > 0 } c ? new ModelHost(mlContext, c) : null;
var segmenter = limits.Segmenter is { Length: > 0 } s ? new ModelHost(mlContext, s) : null;
var upscaler = limits.Upscaler is { Length: > 0 } u ? new ModelHost(mlContext, u) : null;
var denoiser = limits.Denoiser is { Length: > 0 } d ? new ModelHost(mlContext, d) : null;

var app = builder.Build();
app.UseMiddleware<ErrorAnswers>();
app.UseDefaultFiles();
app.UseStaticFiles();
Endpoints.Map(app, limits, classifier, segmenter, upscaler, denoiser);
app.Lifetime.ApplicationStopped.Register(() =>
{
    classifier?.Dispose();
    segmenter?.Dispose();
    upscaler?.Dispose();
    denoiser?.Dispose();
});
app.Run();

/// <summary>The entry point, visible to the service tests (WebApplicationFactory).</summary>
public partial class Program;
