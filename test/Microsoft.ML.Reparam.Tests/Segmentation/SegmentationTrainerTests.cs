using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Tests.Segmentation;

[TestClass]
public sealed class SegmentationTrainerTests
{
    private static MLContext s_mlContext = null!;
    private static SegmentationImages s_scenes = null!;
    private static IDataView s_data = null!;
    private static ReparamSegmentationTransformer s_model = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        s_mlContext = new MLContext(seed: 1);
        s_scenes = SegmentationImages.Synthetic(40, size: 32, seed: 3, garments: 2);
        s_data = s_scenes.ToDataView(s_mlContext);
        s_model = s_mlContext.Transforms.ReparamSegmentation(Options()).Fit(s_data);
    }

    [ClassCleanup]
    public static void Cleanup() => s_model.Dispose();

    internal static ReparamSegmentationOptions Options() => new()
    {
        StageWidths = [8, 16],
        Epochs = 2,
        BatchSize = 8,
        ValidationFraction = 0,
        ClassNames = [.. SegmentationImages.Synthetic(1, 32).ClassNames!],
        Seed = 1,
        ScoreColumnName = "Score",
    };

    [TestMethod]
    public void FitFoldsExactlyAndPredictsAKeyMaskWithTheClassNames()
    {
        Assert.IsLessThanOrEqualTo(FoldError.Float32Tolerance, s_model.FoldError.MaxRelative);
        Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, s_model.FoldReport.OnnxMaxAbsError);
        Assert.AreEqual(1, s_model.Graph.Ops.OfType<PlainConcat>().Count()); // two levels: one skip concatenation
        var scored = s_model.Transform(s_data);
        var mask = scored.Schema["PredictedMask"];
        var type = (VectorDataViewType)mask.Type;
        Assert.AreEqual(11ul, ((KeyDataViewType)type.ItemType).Count);
        CollectionAssert.AreEqual(new[] { 32, 32 }, type.Dimensions.ToArray());
        VBuffer<ReadOnlyMemory<char>> names = default;
        mask.GetKeyValues(ref names);
        CollectionAssert.AreEqual(s_model.ClassNames.ToArray(), names.DenseValues().Select(n => n.ToString()).ToArray());
        Assert.AreEqual(11 * 32 * 32, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
    }

    [TestMethod]
    public void ASavedModelSegmentsInAStockMLNetProcessAsInProcess()
    {
        using var folder = new TemporaryFolder();
        var paths = Enumerable.Range(0, 5).Select(i =>
        {
            var path = Path.Combine(folder.Path, $"{i}.png");
            using var image = s_scenes.ImageAt(i);
            image.Save(path);
            return path;
        }).ToList();
        var list = Path.Combine(folder.Path, "images.txt");
        File.WriteAllLines(list, paths);
        var pathInput = s_mlContext.Data.LoadFromEnumerable(paths.Select(p => new PathRow { ImagePath = p }));
        var pipeline = s_mlContext.Transforms.LoadImages("Image", null, "ImagePath").Fit(pathInput).Append(s_model);
        var zip = Path.Combine(folder.Path, "model.zip");
        s_mlContext.Model.Save(pipeline, pathInput.Schema, zip);
        var inProcess = pipeline.Transform(pathInput).GetColumn<VBuffer<uint>>("PredictedMask").Select(m => m.DenseValues().ToArray()).ToList();

        var output = MLNet.StockConsumer.Segment(zip, list);

        CollectionAssert.AreEqual(new[] { 32, 32 }, output.GetProperty("dimensions").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        CollectionAssert.AreEqual(s_model.ClassNames.ToArray(), output.GetProperty("classNames").EnumerateArray().Select(n => n.GetString()).ToArray());
        var masks = output.GetProperty("masks").EnumerateArray().Select(m => m.EnumerateArray().Select(k => k.GetUInt32()).ToArray()).ToList();
        Assert.HasCount(5, masks);
        for (var i = 0; i < masks.Count; i++)
        {
            CollectionAssert.AreEqual(inProcess[i], masks[i]);
        }
    }

    [TestMethod]
    public void PredictMaskReturnsAMaskOfTheImagesOwnSize()
    {
        using var native = s_scenes.ImageAt(0);
        using var large = Resized(s_scenes, 0, 45, 37);

        var same = s_model.PredictMask(native);
        var other = s_model.PredictMask(large);

        var transformed = s_model.Transform(s_data).GetColumn<VBuffer<uint>>("PredictedMask").First().DenseValues().Select(k => (int)k - 1).ToArray();
        CollectionAssert.AreEqual(transformed, same.ClassIds);
        Assert.AreEqual((45, 37), (other.Width, other.Height));
        Assert.HasCount(45 * 37, other.ClassIds);
        Assert.IsTrue(other.ClassIds.All(c => c is >= 0 and < 11));
        Assert.AreEqual(45, large.Width); // the caller's image is not disposed
    }

    [TestMethod]
    public void EvaluateComparesThePredictedMasksWithTheMaskColumn()
    {
        var metrics = s_model.Evaluate(s_data);

        var predicted = s_model.Transform(s_data).GetColumn<VBuffer<uint>>("PredictedMask").Select(m => m.DenseValues().Select(k => (int)k - 1).ToArray()).ToList();
        var truth = Enumerable.Range(0, s_scenes.Count).Select(i => s_scenes.Masks.AsSpan(i * 32 * 32, 32 * 32).ToArray().Select(v => (int)v).ToArray());
        var expected = SegmentationMetrics.Compute(truth.Zip(predicted), 11);
        Assert.AreEqual(expected.PixelAccuracy, metrics.PixelAccuracy, 1e-12);
        Assert.AreEqual(expected.MeanIoU, metrics.MeanIoU, 1e-12);
        Assert.IsGreaterThan(0.3, metrics.PixelAccuracy); // the background alone is most pixels
    }

    private static MLImage Resized(SegmentationImages images, int index, int width, int height)
    {
        var bgra = new byte[4 * width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = images.Images[(index * 32 * 32) + (y * 32 / height * 32) + (x * 32 / width)];
                (bgra[4 * ((y * width) + x)], bgra[(4 * ((y * width) + x)) + 1], bgra[(4 * ((y * width) + x)) + 2], bgra[(4 * ((y * width) + x)) + 3]) = (v, v, v, 255);
            }
        }

        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, bgra);
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;
    }
}
