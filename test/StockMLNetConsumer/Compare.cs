using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

/// <summary>A saved super-resolution model against ML.NET's own resize, on any photographs, with stock ML.NET only.</summary>
internal static class Compare
{
    public static int Run(string zip, string list, string outputFolder, int scale)
    {
        var mlContext = new MLContext(seed: 0);
        var model = mlContext.Model.Load(zip, out _);
        var photos = File.ReadAllLines(list).Where(line => line.Length > 0).Select(path => Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(list))!)).ToList();
        Directory.CreateDirectory(outputFolder);
        var (width, height) = OutputSize(mlContext, model, photos[0]);
        var results = new List<object>();
        for (var n = 0; n < photos.Count; n++)
        {
            var stem = Path.Combine(outputFolder, n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var reference = Resized(mlContext, photos[n], width, height, ImageResizingEstimator.ResizingKind.IsoCrop, stem + "-reference.png");
            using var input = Resized(mlContext, stem + "-reference.png", width / scale, height / scale, ImageResizingEstimator.ResizingKind.Fill, stem + "-input.png");
            using var resized = Resized(mlContext, stem + "-input.png", width, height, ImageResizingEstimator.ResizingKind.Fill, stem + "-mlnet-resize.png");
            using var restored = Restored(mlContext, model, stem + "-input.png", stem + "-model.png");
            results.Add(new { photo = photos[n], psnrModel = LumaPsnr(restored, reference, scale), psnrMLNetResize = LumaPsnr(resized, reference, scale) });
        }

        var json = JsonSerializer.SerializeToElement(results);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            images = photos.Count,
            width,
            height,
            scale,
            meanPsnrModel = json.EnumerateArray().Average(r => r.GetProperty("psnrModel").GetDouble()),
            meanPsnrMLNetResize = json.EnumerateArray().Average(r => r.GetProperty("psnrMLNetResize").GetDouble()),
            photos = results,
        }));
        return 0;
    }

    private static (int Width, int Height) OutputSize(MLContext mlContext, ITransformer model, string photo)
    {
        var scored = model.Transform(mlContext.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = photo } }));
        return First(scored, "RestoredImage", image => (image.Width, image.Height));
    }

    /// <summary>ML.NET's LoadImages and ResizeImages; the result is saved as PNG and returned (the caller owns it).</summary>
    private static MLImage Resized(MLContext mlContext, string path, int width, int height, ImageResizingEstimator.ResizingKind kind, string output)
    {
        var data = mlContext.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = path } });
        var chain = mlContext.Transforms.LoadImages("Loaded", null, nameof(PathRow.ImagePath))
            .Append(mlContext.Transforms.ResizeImages("Resized", width, height, "Loaded", kind, ImageResizingEstimator.Anchor.Center));
        First(chain.Fit(data).Transform(data), "Resized", image => { image.Save(output); return 0; });
        return MLImage.CreateFromFile(output);
    }

    private static MLImage Restored(MLContext mlContext, ITransformer model, string path, string output)
    {
        First(model.Transform(mlContext.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = path } })), "RestoredImage", image => { image.Save(output); return 0; });
        return MLImage.CreateFromFile(output);
    }

    /// <summary>Uses the first row's image while its cursor is open: ML.NET's image transforms dispose their output when the cursor closes.</summary>
    private static T First<T>(IDataView view, string column, Func<MLImage, T> use)
    {
        foreach (var image in view.GetColumn<MLImage>(column))
        {
            return use(image);
        }

        throw new InvalidOperationException($"No row in column '{column}'.");
    }

    /// <summary>PSNR of 8-bit BT.601 luma (16–235), <paramref name="border"/> pixels of each edge left out, as super-resolution tables measure.</summary>
    private static double LumaPsnr(MLImage image, MLImage reference, int border)
    {
        var (a, b) = (Luma(image), Luma(reference));
        double sum = 0;
        var count = 0;
        for (var y = border; y < reference.Height - border; y++)
        {
            for (var x = border; x < reference.Width - border; x++)
            {
                var d = a[(y * reference.Width) + x] - b[(y * reference.Width) + x];
                sum += d * d;
                count++;
            }
        }

        return 10 * Math.Log10(255.0 * 255.0 / (sum / count));
    }

    private static double[] Luma(MLImage image)
    {
        var pixels = image.Pixels;
        var (r, b) = image.PixelFormat == MLPixelFormat.Bgra32 ? (2, 0) : (0, 2);
        var luma = new double[image.Width * image.Height];
        for (var i = 0; i < luma.Length; i++)
        {
            var value = 16 + (((65.481 * pixels[(4 * i) + r]) + (128.553 * pixels[(4 * i) + 1]) + (24.966 * pixels[(4 * i) + b])) / 255);
            luma[i] = Math.Round(value);
        }

        return luma;
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;
    }
}
