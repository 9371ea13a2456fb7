using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Benchmarks.Suites;

/// <summary>
/// Suite <c>service</c> (issue #14): the WebService sample as a real process (Kestrel on loopback) serving a small
/// folded classifier; requests per second and p50/p99 latency of <c>POST /classify</c> at 1 and 8 concurrent clients.
/// Client and server share the machine's cores.
/// </summary>
internal sealed class ServiceSuite : IBenchmarkSuite
{
    public string Name => "service";

    public SuiteResult Run(BenchmarkArguments arguments)
    {
        var requests = arguments.Quick ? 400 : 4000;
        var folder = Directory.CreateTempSubdirectory("service-bench-").FullName;
        try
        {
            var (zip, parameters) = TrainClassifier(folder);
            var images = PngImages(folder, 100);
            var port = FreePort();
            using var service = StartService(zip, port);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            List<LoadRow> rows;
            try
            {
                WaitForHealth(client, service);
                Load(client, images, clients: 2, total: 200); // warm-up: JIT, engine pool, ONNX Runtime
                rows = [.. new[] { 1, 8 }.Select(clients => Load(client, images, clients, requests))];
            }
            finally
            {
                service.Kill(entireProcessTree: true); // disposing a Process does not end it
                service.WaitForExit();
            }

            foreach (var row in rows)
            {
                Console.WriteLine(row);
            }

            var json = new { model = "the QuickStart network (RepVGG, widths 32/64/128, depths 1/2/2) folded, 28x28 gray, " + parameters + " parameters", requests, rows };
            return new SuiteResult(json, Markdown(rows, parameters, requests));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (string Zip, long Parameters) TrainClassifier(string folder)
    {
        var mlContext = new MLContext(1);
        var view = FashionMnist.LoadEmbedded().Train.Take(512).ToDataView(mlContext);
        var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(new ReparamConvTrainerOptions
        {
            Epochs = 1, // the main job's network (widths 32/64/128, depths 1/2/2); its accuracy does not matter here
            BatchSize = 32,
            FoldCheckImages = 8,
            Seed = 1,
        }).Fit(keyed);
        var zip = Path.Combine(folder, "classifier.zip");
        mlContext.Model.Save(model, keyed.Schema, zip);
        return (zip, model.Graph.ParameterCount);
    }

    private static List<byte[]> PngImages(string folder, int count)
    {
        var test = FashionMnist.LoadEmbedded().Test;
        return [.. test.Take(count).WritePngFiles(Path.Combine(folder, "images")).Select(file => File.ReadAllBytes(file.Path))];
    }

    private static Process StartService(string zip, int port)
    {
        var dll = RepositoryOutput.Of("samples/WebService", "WebService.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Service__Classifier"] = zip;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"service: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void WaitForHealth(HttpClient client, Process service)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (service.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {service.ExitCode}.");
            }

            try
            {
                if (client.GetAsync("/health").Result.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (AggregateException)
            {
                Thread.Sleep(200); // not listening yet
            }
        }

        throw new TimeoutException("The service did not answer /health within 60 s.");
    }

    private static LoadRow Load(HttpClient client, List<byte[]> images, int clients, int total)
    {
        var latencies = new double[total];
        var next = -1;
        var failures = 0;
        var wall = Stopwatch.StartNew();
        Task.WaitAll([.. Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < total;)
            {
                using var content = new MultipartFormDataContent();
                var file = new ByteArrayContent(images[i % images.Count]);
                file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                content.Add(file, "image", "image.png");
                var watch = Stopwatch.StartNew();
                using var response = await client.PostAsync("/classify", content);
                await response.Content.ReadAsByteArrayAsync();
                latencies[i] = watch.Elapsed.TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }))]);
        var seconds = wall.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        return new LoadRow(clients, total, failures, Math.Round(total / seconds, 1), Math.Round(latencies[total / 2], 2), Math.Round(latencies[(int)Math.Ceiling(0.99 * total) - 1], 2));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Markdown(IReadOnlyList<LoadRow> rows, long parameters, int requests)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"samples/WebService started as its own process (Kestrel, loopback), serving the main job's folded RepVGG classifier of 28×28 gray images (widths 32/64/128, depths 1/2/2; {parameters} parameters) from a stock ML.NET `.zip`; each request uploads one PNG (multipart/form-data) to `POST /classify` and reads the JSON answer. {requests} requests per row after 200 warm-up requests; clients send one request at a time each. Client and service share the 2 cores.").AppendLine();
        text.AppendLine("| concurrent clients | requests | failed | requests/s | p50 latency ms | p99 latency ms |").AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Clients} | {row.Requests} | {row.Failed} | {row.RequestsPerSecond} | {row.P50Ms} | {row.P99Ms} |");
        }

        return text.ToString();
    }

    private sealed record LoadRow(int Clients, int Requests, int Failed, double RequestsPerSecond, double P50Ms, double P99Ms);
}
