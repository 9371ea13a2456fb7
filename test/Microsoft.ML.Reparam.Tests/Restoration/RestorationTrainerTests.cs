using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tasks.Restoration;

namespace Microsoft.ML.Reparam.Tests.Restoration;

[TestClass]
public sealed class RestorationTrainerTests
{
    private static MLContext s_mlContext = null!;
    private static List<MLImage> s_images = null!;
    private static IDataView s_data = null!;
    private static ReparamRestorationTransformer s_superResolution = null!;
    private static ReparamRestorationTransformer s_denoiser = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        s_mlContext = new MLContext(seed: 1);
        s_images = [.. Enumerable.Range(0, 6).Select(i => TestImages.Make(40 + (2 * i), 36, i).ToMLImage())];
        s_data = TestImages.DataView(s_mlContext, s_images);
        s_superResolution = s_mlContext.Transforms.ReparamSuperResolution(SuperResolutionOptions()).Fit(s_data);
        s_denoiser = s_mlContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { Depth = 2, Width = 8, PatchSize = 12, PatchesPerImage = 6, Epochs = 2, BatchSize = 8, BlockKind = BlockKind.RepVgg, ImageWidth = 20, ImageHeight = 16, Seed = 2 }).Fit(s_data);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_superResolution.Dispose();
        s_denoiser.Dispose();
        s_images.ForEach(image => image.Dispose());
    }

    internal static ReparamSuperResolutionOptions SuperResolutionOptions() => new()
    {
        Depth = 1,
        Width = 8,
        PatchSize = 8,
        PatchesPerImage = 6,
        Epochs = 2,
        BatchSize = 8,
        ImageWidth = 12,
        ImageHeight = 10,
        Seed = 1,
    };

    [TestMethod]
    public void SuperResolutionFoldsExactlyIntoPlainConvolutionsWithBicubicChroma()
    {
        Assert.IsLessThanOrEqualTo(1e-5, s_superResolution.FoldError.MaxRelative);
        Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, s_superResolution.FoldReport.OnnxMaxAbsError);
        var ops = s_superResolution.Graph.Ops.ToList();
        Assert.AreEqual(1, ops.OfType<PlainCubicUpsample>().Count());
        Assert.AreEqual(1, ops.OfType<PlainDepthToSpace>().Count());
        Assert.IsTrue(ops.OfType<PlainConv>().All(c => c.KernelSize is 1 or 3), "only 3×3 convolutions and the 1×1 colour conversions");
        Assert.AreEqual(2, s_superResolution.Scale);
        Assert.AreEqual(3, s_superResolution.ReceptiveRadius); // three 3×3 convolutions on the luma path; the chroma's bicubic reaches 2
    }

    [TestMethod]
    public void TransformAddsAnImageColumnOfTwiceTheDeclaredSizeAndKeepsTheCallersImages()
    {
        using var native = TestImages.Make(12, 10, 7).ToMLImage();
        var data = TestImages.DataView(s_mlContext, [native]);
        var restored = s_superResolution.Transform(data).GetColumn<MLImage>("RestoredImage").Single();
        Assert.AreEqual((24, 20), (restored.Width, restored.Height));
        Assert.AreEqual(12, native.Width); // the caller's image is still usable
        var whole = RgbImage.From(s_superResolution.Restore(native));
        var chain = RgbImage.From(restored);
        Assert.IsLessThanOrEqualTo(1, whole.Pixels.Zip(chain.Pixels, (a, b) => Math.Abs(a - b)).Max()); // ML.NET rounds half to even
        _ = s_superResolution.Transform(data).GetColumn<MLImage>("RestoredImage").Single(); // a second pass over the same images
        Assert.AreEqual(12 * 10 * 4, native.Pixels.Length);
    }

    [TestMethod]
    public void TilesWhoseOverlapCoversTheReceptiveFieldGiveTheWholeImageResult()
    {
        foreach (var model in new[] { s_superResolution, s_denoiser })
        {
            var image = TestImages.Make(37, 29, 11);
            var planar = image.ToPlanar();
            var whole = model.RestorePlanar(planar, 29, 37);
            foreach (var tile in new[] { 5, 8, 16 })
            {
                var tiled = model.RestorePlanar(planar, 29, 37, tile);
                Assert.HasCount(whole.Length, tiled);
                Assert.IsLessThanOrEqualTo(1e-5, whole.Zip(tiled, (a, b) => Math.Abs(a - b)).Max(), $"tile {tile}");
            }
        }
    }

    [TestMethod]
    public void ASavedSuperResolutionModelRunsInAStockMLNetProcessAsInProcess()
    {
        using var folder = new TemporaryFolder();
        var paths = Enumerable.Range(0, 3).Select(i =>
        {
            var path = Path.Combine(folder.Path, $"{i}.png");
            using var image = TestImages.Make(12 + i, 10, 20 + i).ToMLImage(); // sizes other than the declared one are resized
            image.Save(path);
            return path;
        }).ToList();
        var list = Path.Combine(folder.Path, "images.txt");
        File.WriteAllLines(list, paths);
        var pathInput = s_mlContext.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));
        var pipeline = s_mlContext.Transforms.LoadImages("Image", null, "ImagePath").Fit(pathInput).Append(s_superResolution);
        var zip = Path.Combine(folder.Path, "model.zip");
        s_mlContext.Model.Save(pipeline, pathInput.Schema, zip);
        var inProcess = pipeline.Transform(pathInput).GetColumn<MLImage>("RestoredImage").Select(RgbImage.From).ToList();

        var output = MLNet.StockConsumer.Restore(zip, list, Path.Combine(folder.Path, "out"));

        Assert.AreEqual(24, output.GetProperty("width").GetInt32());
        Assert.AreEqual(20, output.GetProperty("height").GetInt32());
        var files = output.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.HasCount(3, files);
        for (var i = 0; i < files.Count; i++)
        {
            using var saved = MLImage.CreateFromFile(files[i]);
            CollectionAssert.AreEqual(inProcess[i].Pixels, RgbImage.From(saved).Pixels);
        }

        // The stock process compares the model with ML.NET's own resize on photos of any size: the reference is the
        // photo cropped to the output size, the input that reference shrunk by 2.
        var compared = MLNet.StockConsumer.CompareWithResize(zip, list, Path.Combine(folder.Path, "compare"), 2);
        Assert.AreEqual((3, 24, 20), (compared.GetProperty("images").GetInt32(), compared.GetProperty("width").GetInt32(), compared.GetProperty("height").GetInt32()));
        foreach (var photo in compared.GetProperty("photos").EnumerateArray())
        {
            Assert.IsTrue(photo.GetProperty("psnrModel").GetDouble() is > 10 and < 99, photo.ToString());
            Assert.IsTrue(photo.GetProperty("psnrMLNetResize").GetDouble() is > 10 and < 99, photo.ToString());
        }

        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "compare", "0-model.png")));
    }

    [TestMethod]
    public void EvaluateMeasuresByTheProtocolBesideTheBaseline()
    {
        var metrics = s_superResolution.Evaluate(s_data);
        Assert.AreEqual("bicubic", metrics.Baseline);
        Assert.HasCount(6, metrics.ImagePsnr);
        var protocol = new RestorationProtocol(2, 0, RestorationColor.Luma, RestorationColor.Luma);
        var bicubic = s_images.Select(i => RgbImage.From(i).CropToMultiple(2)).Select(t => protocol.Measure(t, Bicubic.Resize(Bicubic.Resize(t, 2, true), 2, false)).Psnr).Average();
        Assert.AreEqual(bicubic, metrics.BaselinePsnr, 1e-9);
        Assert.IsTrue(double.IsFinite(metrics.Psnr) && metrics.Psnr > 15, $"{metrics.Psnr}");
        Assert.IsTrue(metrics.Ssim is > 0 and <= 1);

        var denoised = s_denoiser.Evaluate(s_data, seed: 3);
        Assert.AreEqual("noisy input", denoised.Baseline);
        Assert.AreEqual(20.17, denoised.BaselinePsnr, 0.3); // σ = 25: 20·log10(255/25), a little less clipping noise at the extremes
        Assert.AreEqual(denoised, s_denoiser.Evaluate(s_data, seed: 3) with { ImagePsnr = denoised.ImagePsnr }); // seeded
    }

    [TestMethod]
    public void DenoiserFoldsExactlyAndOutputsGrayImages()
    {
        Assert.IsLessThanOrEqualTo(1e-5, s_denoiser.FoldError.MaxRelative);
        Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, s_denoiser.FoldReport.OnnxMaxAbsError);
        using var image = TestImages.Make(20, 16, 4).ToMLImage();
        using var restored = s_denoiser.Restore(image);
        var rgb = RgbImage.From(restored);
        Assert.AreEqual((20, 16), (rgb.Width, rgb.Height));
        for (var i = 0; i < rgb.Pixels.Length; i += 3)
        {
            Assert.AreEqual(rgb.Pixels[i], rgb.Pixels[i + 1]);
            Assert.AreEqual(rgb.Pixels[i], rgb.Pixels[i + 2]);
        }
    }

    [TestMethod]
    public void EveryColourModeFoldsExactly()
    {
        foreach (var color in new[] { RestorationColor.Rgb, RestorationColor.Gray })
        {
            var options = SuperResolutionOptions();
            options.Color = color;
            options.Scale = 3;
            options.Epochs = 1;
            using var model = s_mlContext.Transforms.ReparamSuperResolution(options).Fit(s_data);
            Assert.IsLessThanOrEqualTo(1e-5, model.FoldError.MaxRelative, color.ToString());
            Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, model.FoldReport.OnnxMaxAbsError, color.ToString());
            using var image = TestImages.Make(9, 7, 1).ToMLImage();
            using var restored = model.Restore(image);
            Assert.AreEqual((27, 21), (restored.Width, restored.Height));
        }
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;
    }
}
