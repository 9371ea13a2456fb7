using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Tests.MLNet;

/// <summary>Runs saved models in test/StockMLNetConsumer, a process with stock ML.NET packages only.</summary>
internal static class StockConsumer
{
    /// <summary>Saves a fitted classifier behind image loading; asserts that the stock process predicts what it predicts in process, on 30 embedded images written as PNG files.</summary>
    public static void AssertPredictsAsInProcess(MLContext mlContext, ReparamConvTransformer model)
    {
        using var folder = new TemporaryFolder();
        var files = TinyFashion.Images(30).WritePngFiles(Path.Combine(folder.Path, "images"));
        var tsv = Path.Combine(folder.Path, "images.tsv");
        File.WriteAllLines(tsv, files.Select(f => $"{f.Path}\t{f.Label}"));

        var pathInput = mlContext.Data.LoadFromEnumerable(files.Select(f => new PathRow { ImagePath = f.Path }));
        var loadImages = mlContext.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: "ImagePath").Fit(pathInput);
        var toName = mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(model.Transform(loadImages.Transform(pathInput)));
        var pipeline = new TransformerChain<ITransformer>(loadImages, model, toName);
        var zip = Path.Combine(folder.Path, "model.zip");
        mlContext.Model.Save(pipeline, pathInput.Schema, zip);
        var inProcess = pipeline.Transform(pathInput).GetColumn<string>("PredictedLabel").ToList();

        var output = Run(zip, tsv);

        var predictions = output.GetProperty("predictions").EnumerateArray().Select(p => p.GetString()).ToList();
        CollectionAssert.AreEqual(inProcess, predictions);
        var expectedAccuracy = inProcess.Where((p, i) => p == files[i].Label).Count() / 30.0;
        Assert.AreEqual(expectedAccuracy, output.GetProperty("accuracy").GetDouble(), 1e-12);
    }

    /// <summary>Runs the stock process on a saved segmenter over the image files listed in <paramref name="list"/>.</summary>
    public static JsonElement Segment(string zip, string list) => Run("segment", zip, list);

    /// <summary>Runs the stock process on a saved restorer over the image files listed in <paramref name="list"/>; it writes the restored images to <paramref name="outputFolder"/>.</summary>
    public static JsonElement Restore(string zip, string list, string outputFolder) => Run("restore", zip, list, outputFolder);

    /// <summary>Runs the stock process's comparison of a saved super-resolution model with ML.NET's resize on the photos listed in <paramref name="list"/>.</summary>
    public static JsonElement CompareWithResize(string zip, string list, string outputFolder, int scale) => Run("compare", zip, list, outputFolder, scale.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static JsonElement Run(params string[] arguments)
    {
        var consumer = RepositoryOutput.Of("test/StockMLNetConsumer", "StockMLNetConsumer.dll");
        Assert.IsTrue(File.Exists(consumer), consumer);
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetDirectoryName(consumer)!, "TorchSharp.dll")), "the consumer must not ship TorchSharp");
        Assert.IsFalse(File.Exists(Path.Combine(Path.GetDirectoryName(consumer)!, "Microsoft.ML.Reparam.dll")), "the consumer must not ship this library");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Prepend(consumer))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "consumer timed out");
        Assert.AreEqual(0, process.ExitCode, error.Result);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;
    }
}
