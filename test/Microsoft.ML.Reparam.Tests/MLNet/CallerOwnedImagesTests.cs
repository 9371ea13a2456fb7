using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tests.MLNet;

/// <summary>
/// In-memory <see cref="MLImage"/>s belong to the caller: reading them to train or to score must never dispose them.
/// ML.NET's resize passes an image that already has the target size through and disposes it on the next row, so
/// each flow here failed with "Object is disposed" before the fix.
/// </summary>
[TestClass]
public sealed class CallerOwnedImagesTests
{
    private static MLContext s_mlContext = null!;
    private static List<ImageRow> s_rows = null!;
    private static IDataView s_view = null!;
    private static ReparamConvTransformer s_model = null!;

    [ClassInitialize]
    public static void FitOnCallerImages(TestContext context)
    {
        s_mlContext = new MLContext(seed: 1);
        var images = TinyFashion.Images(60);
        s_rows = [.. Enumerable.Range(0, images.Count).Select(i => new ImageRow { Image = images.ToMLImage(i), Label = images.ClassNames[images.Labels[i]] })];
        var raw = s_mlContext.Data.LoadFromEnumerable(s_rows);
        s_view = s_mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        s_model = s_mlContext.MulticlassClassification.Trainers.ReparamConv(TinyFashion.Options()).Fit(s_view);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        s_model.Dispose();
        s_rows.ForEach(r => r.Image.Dispose());
    }

    [TestMethod]
    public void EvaluatingTheTrainingViewAfterFitLeavesTheImagesUsable()
    {
        var metrics = s_mlContext.MulticlassClassification.Evaluate(s_model.Transform(s_view));

        Assert.IsGreaterThan(0.1, metrics.MicroAccuracy);
        AssertAllImagesUsable();
    }

    [TestMethod]
    public void ASecondFitOnTheSameViewGivesTheSameModel()
    {
        using var second = s_mlContext.MulticlassClassification.Trainers.ReparamConv(TinyFashion.Options()).Fit(s_view);

        CollectionAssert.AreEqual(Scores(s_model, s_view), Scores(second, s_view));
        AssertAllImagesUsable();
    }

    [TestMethod]
    public void AModelLoadedFromZipScoresTheSameViewTwice()
    {
        using var folder = new TemporaryFolder();
        var zip = Path.Combine(folder.Path, "model.zip");
        s_mlContext.Model.Save(s_model, s_view.Schema, zip);
        var loaded = s_mlContext.Model.Load(zip, out _);
        Assert.IsNotInstanceOfType<ReparamConvTransformer>(loaded);

        var first = Scores(loaded, s_view);
        var second = Scores(loaded, s_view);

        CollectionAssert.AreEqual(first, second);
        CollectionAssert.AreEqual(Scores(s_model, s_view), first);
        AssertAllImagesUsable();
    }

    [TestMethod]
    public void APredictionEnginePredictsTheSameRowTwice()
    {
        using var folder = new TemporaryFolder();
        var zip = Path.Combine(folder.Path, "model.zip");
        s_mlContext.Model.Save(s_model, s_view.Schema, zip);
        var loaded = s_mlContext.Model.Load(zip, out _);
        var keyed = s_mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(s_mlContext.Data.LoadFromEnumerable(s_rows));
        foreach (var model in new ITransformer[] { s_model, loaded })
        {
            // An engine owns and disposes its transformer by default; these models are shared by the class.
            using var engine = s_mlContext.Model.CreatePredictionEngine<ImageRow, Prediction>(keyed.Append(model), new PredictionEngineOptions { OwnsTransformer = false });
            var row = s_rows[3];

            var first = engine.Predict(row).Score;
            var second = engine.Predict(row).Score;

            CollectionAssert.AreEqual(first, second);
            Assert.AreEqual(1.0, first.Sum(), 1e-5);
        }

        AssertAllImagesUsable();
    }

    [TestMethod]
    public void TheOutputsImageColumnHoldsTheCallersOwnImages()
    {
        var scored = s_model.Transform(s_view);
        using (var cursor = scored.GetRowCursor([scored.Schema["Image"], scored.Schema["Score"]]))
        {
            var getImage = cursor.GetGetter<MLImage>(scored.Schema["Image"]);
            var getScore = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            MLImage image = null!;
            VBuffer<float> score = default;
            var row = 0;
            while (cursor.MoveNext())
            {
                getScore(ref score);
                getImage(ref image);
                Assert.AreSame(s_rows[row++].Image, image);
            }

            Assert.AreEqual(s_rows.Count, row);
        }

        AssertAllImagesUsable();
    }

    [TestMethod]
    public void ImagesOfTheModelsSizeReachTheNetworkUnchanged()
    {
        var images = TinyFashion.Images(60);

        var pixels = s_model.PreprocessImages(s_view).Pixels;

        CollectionAssert.AreEqual(images.Pixels.Select(p => p * (1f / 255)).ToArray(), pixels);
        AssertAllImagesUsable();
    }

    [TestMethod]
    public void ImagesOfTwiceTheModelSizeAreNotDisposedInProcess()
    {
        // The saved chain's first resize goes to twice the model's size, so only such images meet ML.NET's
        // pass-through there; the fitted transformer copies every image before its chain reads it.
        var images = TinyFashion.Images(4);
        var large = Enumerable.Range(0, 4).Select(i => new LargeRow { Image = Doubled(images, i), Label = images.ClassNames[images.Labels[i]] }).ToList();
        var raw = s_mlContext.Data.LoadFromEnumerable(large);
        var view = s_mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);

        CollectionAssert.AreEqual(Scores(s_model, view), Scores(s_model, view));
        Assert.IsTrue(large.All(r => r.Image.Width == 56));
        large.ForEach(r => r.Image.Dispose());
    }

    private static MLImage Doubled(Reparam.Data.LabeledImages images, int index)
    {
        var size = images.Height * images.Width;
        var bgra = new byte[4 * 4 * size];
        for (var y = 0; y < 2 * images.Height; y++)
        {
            for (var x = 0; x < 2 * images.Width; x++)
            {
                var value = images.Pixels[(index * size) + ((y / 2) * images.Width) + (x / 2)];
                var at = 4 * ((y * 2 * images.Width) + x);
                (bgra[at], bgra[at + 1], bgra[at + 2], bgra[at + 3]) = (value, value, value, 255);
            }
        }

        return MLImage.CreateFromPixels(2 * images.Width, 2 * images.Height, MLPixelFormat.Bgra32, bgra);
    }

    private static float[] Scores(ITransformer model, IDataView view) =>
        [.. model.Transform(view).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues())];

    private static void AssertAllImagesUsable()
    {
        foreach (var row in s_rows)
        {
            Assert.AreEqual(28, row.Image.Width); // throws "Object is disposed" if anything disposed it
        }
    }

    private sealed class ImageRow
    {
        [ImageType(28, 28)]
        public MLImage Image { get; set; } = null!;

        public string Label { get; set; } = string.Empty;
    }

    private sealed class LargeRow
    {
        [ImageType(56, 56)]
        public MLImage Image { get; set; } = null!;

        public string Label { get; set; } = string.Empty;
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }
}
