using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tests.Restoration;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tests.MLNet;

/// <summary>
/// The four flows that disposed a caller's in-memory images (evaluate after fit, a second fit, a loaded <c>.zip</c>
/// scoring the same view twice, a prediction engine predicting the same row twice) for segmentation, super-resolution
/// and denoising; every image has the model's declared size, so each flow meets ML.NET's pass-through. Classification:
/// <see cref="CallerOwnedImagesTests"/>.
/// </summary>
[TestClass]
public sealed class CallerOwnedTaskImagesTests
{
    private const int Side = 24;
    private const int SceneSide = 32;

    [TestMethod]
    public void SegmentationFlowsLeaveTheCallersImagesUsable()
    {
        var mlContext = new MLContext(seed: 1);
        var scenes = SegmentationImages.Synthetic(12, size: SceneSide, seed: 3, garments: 1);
        var rows = Enumerable.Range(0, scenes.Count).Select(i => new SceneRow { Image = scenes.ImageAt(i), Mask = scenes.MaskAt(i), Name = $"scene {i}" }).ToList();
        var options = new ReparamSegmentationOptions { StageWidths = [4, 8], Epochs = 1, BatchSize = 4, ValidationFraction = 0, ClassNames = [.. scenes.ClassNames!], Seed = 1 };
        try
        {
            var view = mlContext.Data.LoadFromEnumerable(rows);
            RunFlows(
                mlContext,
                view,
                () => mlContext.Transforms.ReparamSegmentation(options).Fit(view),
                model => Assert.IsGreaterThan(0.0, ((ReparamSegmentationTransformer)model).Evaluate(view).PixelAccuracy),
                scored => [.. scored.GetColumn<VBuffer<uint>>("PredictedMask").SelectMany(m => m.DenseValues()).Select(v => (float)v)],
                scorer => PredictTwice<SceneRow, MaskPrediction>(mlContext, scorer, rows[2], p => [.. p.PredictedMask.Select(v => (float)v)]),
                () => rows.ForEach(r => AssertUsable(SceneSide, r.Image, r.Mask)));
        }
        finally
        {
            rows.ForEach(r => { r.Image.Dispose(); r.Mask.Dispose(); });
        }
    }

    [TestMethod]
    public void SuperResolutionFlowsLeaveTheCallersImagesUsable() =>
        RestorationFlows(
            mlContext => mlContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { Depth = 1, Width = 4, PatchSize = 8, PatchesPerImage = 4, Epochs = 1, BatchSize = 8, ImageWidth = Side, ImageHeight = Side, Seed = 1 }),
            (model, view) => model.Evaluate(view).Psnr,
            (mlContext, scorer, row) => PredictTwice<PhotoRow, DoubledPrediction>(mlContext, scorer, row, p => Bytes(p.RestoredImage)));

    [TestMethod]
    public void DenoisingFlowsLeaveTheCallersImagesUsable() =>
        RestorationFlows(
            mlContext => mlContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { Depth = 1, Width = 4, PatchSize = 12, PatchesPerImage = 4, Epochs = 1, BatchSize = 8, ImageWidth = Side, ImageHeight = Side, Seed = 1 }),
            (model, view) => model.Evaluate(view, seed: 5).Psnr,
            (mlContext, scorer, row) => PredictTwice<PhotoRow, SameSizePrediction>(mlContext, scorer, row, p => Bytes(p.RestoredImage)));

    private static void RestorationFlows(Func<MLContext, IEstimator<ReparamRestorationTransformer>> trainer, Func<ReparamRestorationTransformer, IDataView, double> evaluate, Func<MLContext, ITransformer, PhotoRow, (float[], float[])> predictTwice)
    {
        var mlContext = new MLContext(seed: 1);
        var images = Enumerable.Range(0, 6).Select(i => TestImages.Make(Side, Side, i).ToMLImage()).ToList();
        try
        {
            var view = mlContext.Data.LoadFromEnumerable(images.Select((image, i) => new PhotoRow { Image = image, Name = $"photo {i}" }).ToList());
            RunFlows(
                mlContext,
                view,
                () => trainer(mlContext).Fit(view),
                model => Assert.IsGreaterThan(0.0, evaluate((ReparamRestorationTransformer)model, view)),
                scored => [.. scored.GetColumn<MLImage>("RestoredImage").SelectMany(Bytes)],
                scorer => predictTwice(mlContext, scorer, new PhotoRow { Image = images[2], Name = "photo 2" }),
                () => images.ForEach(image => AssertUsable(Side, image)));
        }
        finally
        {
            images.ForEach(image => image.Dispose());
        }
    }

    /// <summary>Runs the four flows on one task; <paramref name="assertUsable"/> runs after each.</summary>
    private static void RunFlows(MLContext mlContext, IDataView view, Func<ITransformer> fit, Action<ITransformer> evaluate, Func<IDataView, float[]> outputs, Func<ITransformer, (float[] First, float[] Second)> predictTwice, Action assertUsable)
    {
        using var folder = new TemporaryFolder();
        var model = fit();
        try
        {
            var scored = outputs(model.Transform(view));
            Assert.IsGreaterThan(0, scored.Length);
            evaluate(model);
            assertUsable();

            using (var second = (IDisposable)fit())
            {
                CollectionAssert.AreEqual(scored, outputs(((ITransformer)second).Transform(view)), "a second fit on the same view");
            }

            assertUsable();

            var zip = Path.Combine(folder.Path, "model.zip");
            mlContext.Model.Save(model, view.Schema, zip);
            var loaded = mlContext.Model.Load(zip, out _);
            var once = outputs(loaded.Transform(view));
            CollectionAssert.AreEqual(once, outputs(loaded.Transform(view)), "the loaded .zip scoring the view twice");
            assertUsable();

            foreach (var scorer in new[] { model, loaded })
            {
                var (first, second) = predictTwice(scorer);
                CollectionAssert.AreEqual(first, second, "a prediction engine predicting the same row twice");
                assertUsable();
            }
        }
        finally
        {
            ((IDisposable)model).Dispose();
        }
    }

    private static void AssertUsable(int width, params MLImage[] images)
    {
        foreach (var image in images)
        {
            Assert.AreEqual(width, image.Width); // throws "Object is disposed" if anything disposed it
        }
    }

    /// <summary>Predicts one row twice with one engine that leaves the shared model alive (an engine disposes its transformer by default).</summary>
    private static (float[] First, float[] Second) PredictTwice<TIn, TOut>(MLContext mlContext, ITransformer model, TIn row, Func<TOut, float[]> read)
        where TIn : class
        where TOut : class, new()
    {
        using var engine = mlContext.Model.CreatePredictionEngine<TIn, TOut>(model, new PredictionEngineOptions { OwnsTransformer = false });
        var first = read(engine.Predict(row));
        return (first, read(engine.Predict(row)));
    }

    private static float[] Bytes(MLImage image) => [.. image.Pixels.ToArray().Select(b => (float)b)];

    private sealed class SceneRow
    {
        [ImageType(SceneSide, SceneSide)]
        public MLImage Image { get; set; } = null!;

        [ImageType(SceneSide, SceneSide)]
        public MLImage Mask { get; set; } = null!;

        public string Name { get; set; } = string.Empty;
    }

    /// <summary>An image and its name (a model is saved with its input schema, which needs a column ML.NET can write; so does <see cref="SceneRow"/>).</summary>
    private sealed class PhotoRow
    {
        [ImageType(Side, Side)]
        public MLImage Image { get; set; } = null!;

        public string Name { get; set; } = string.Empty;
    }

    private sealed class MaskPrediction
    {
        [ColumnName("PredictedMask")]
        public uint[] PredictedMask { get; set; } = [];
    }

    private sealed class DoubledPrediction
    {
        [ImageType(2 * Side, 2 * Side)]
        public MLImage RestoredImage { get; set; } = null!;
    }

    private sealed class SameSizePrediction
    {
        [ImageType(Side, Side)]
        public MLImage RestoredImage { get; set; } = null!;
    }
}
