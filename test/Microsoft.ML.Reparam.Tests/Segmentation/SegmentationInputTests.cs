using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tests.Segmentation;

/// <summary>Masks as the caller has them (0/255 images, key vectors, in-memory images), and bad masks named by row and value.</summary>
[TestClass]
public sealed class SegmentationInputTests
{
    private static readonly MLContext MLContext = new(seed: 1);

    [TestMethod]
    public void BinaryMasksStoredAs0And255TrainThroughAValueMap()
    {
        var rows = Rows(12, (i, y, x) => (byte)(x < 16 ? 0 : 255));
        var options = Options();
        options.MaskValues = new Dictionary<int, int> { [0] = 0, [255] = 1 };

        using var model = MLContext.Transforms.ReparamSegmentation(options).Fit(MLContext.Data.LoadFromEnumerable(rows));

        CollectionAssert.AreEqual(new[] { "0", "1" }, model.ClassNames.ToArray());
        Assert.IsTrue(rows.All(r => r.Image.Width == 32 && r.Mask.Width == 32), "the caller's images and masks are not disposed");
        var scored = model.Transform(MLContext.Data.LoadFromEnumerable(rows));
        Assert.HasCount(12, scored.GetColumn<VBuffer<uint>>("PredictedMask").ToList());
        Assert.IsTrue(rows.All(r => r.Image.Width == 32 && r.Mask.Width == 32), "scoring does not dispose them either");
        rows.ForEach(r => r.Dispose());
    }

    [TestMethod]
    public void KeyTypedVectorMasksTrainAndGiveTheirKeyValuesAsClassNames()
    {
        var scenes = SegmentationImages.Synthetic(12, size: 32, seed: 5, garments: 1);
        var view = scenes.ToDataView(MLContext);
        var keys = MLContext.Transforms.ExtractPixels("MaskValues", "Mask", ImagePixelExtractingEstimator.ColorBits.Red)
            .Append(MLContext.Transforms.Conversion.ConvertType("MaskIds", "MaskValues", DataKind.String))
            .Append(MLContext.Transforms.Conversion.MapValueToKey("MaskKeys", "MaskIds"))
            .Fit(view).Transform(view);
        var options = Options();
        options.MaskColumnName = "MaskKeys";

        using var model = MLContext.Transforms.ReparamSegmentation(options).Fit(keys);

        VBuffer<ReadOnlyMemory<char>> names = default;
        keys.Schema["MaskKeys"].GetKeyValues(ref names);
        CollectionAssert.AreEqual(names.DenseValues().Select(n => n.ToString()).ToArray(), model.ClassNames.ToArray());
    }

    public static IEnumerable<object[]> BadMasks =>
    [
        ["mask smaller than its image", "Mask column 'Mask': row 0 is 16x16 but its image is 32x32"],
        ["value that is not a class", "Mask column 'Mask': row 3 has the value 7, which is neither a class id below 3 nor the ignore value (255)"],
        ["value outside the map", "Mask column 'Mask': row 2 has the value 128, which is neither one of the mapped values 0, 255 nor the ignore value (none)"],
        ["one class only", "Mask column 'Mask': the 6 masks hold fewer than two classes"],
        ["0/255 without a value map", "Pixels of value 255 are ignored by default; for masks stored as 0/255 set MaskValues = {0: 0, 255: 1}"],
        ["a coloured pixel", "Mask column 'Mask': row 1 has a pixel that is not an opaque gray value (RGBA 200, 0, 0, 255) at (4, 2)"],
        ["mask column of text", "Mask column 'Mask' has type String; expected an image (MLImage) whose pixel values are class ids, or a key-typed vector of H×W"],
        ["no mask column", "Mask column 'Mask' was not found in the input data; its columns are: Image"],
        ["no rows", "The training data has no rows"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadMasks))]
    public void BadMasksAreNamedBeforeTraining(string problem, string message)
    {
        var options = Options();
        options.Epochs = 1;
        IDataView data;
        var rows = new List<ImageMaskRow>();
        switch (problem)
        {
            case "mask smaller than its image":
                rows = Rows(6, (i, y, x) => (byte)(x % 2), maskSize: 16);
                break;
            case "value that is not a class":
                options.ClassNames = ["a", "b", "c"];
                rows = Rows(6, (i, y, x) => (byte)(i == 3 && y == 5 ? 7 : x % 2));
                break;
            case "value outside the map":
                options.MaskValues = new Dictionary<int, int> { [0] = 0, [255] = 1 };
                rows = Rows(6, (i, y, x) => (byte)(i == 2 && x == 3 ? 128 : x < 16 ? 0 : 255));
                break;
            case "one class only":
                rows = Rows(6, (i, y, x) => 0);
                break;
            case "0/255 without a value map":
                rows = Rows(6, (i, y, x) => (byte)(x < 16 ? 0 : 255));
                break;
            case "a coloured pixel":
                rows = Rows(6, (i, y, x) => (byte)(x % 2));
                rows[1].Mask.Dispose();
                rows[1].Mask = Gray(32, (y, x) => (byte)(x % 2), colour: (4, 2, 200));
                break;
        }

        data = problem switch
        {
            "mask column of text" => MLContext.Data.LoadFromEnumerable(Rows(2, (i, y, x) => 0).Select(r => new TextMaskRow { Image = r.Image, Mask = "none" })),
            "no mask column" => MLContext.Data.LoadFromEnumerable(Rows(2, (i, y, x) => 0).Select(r => new ImageOnlyRow { Image = r.Image })),
            "no rows" => MLContext.Data.LoadFromEnumerable(new List<ImageMaskRow>()),
            _ => MLContext.Data.LoadFromEnumerable(rows),
        };

        var error = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSegmentation(options).Fit(data));

        StringAssert.Contains(error.Message, message);
        rows.ForEach(r => r.Dispose());
    }

    [TestMethod]
    public void ClassWeightsTrainAndMustMatchTheClasses()
    {
        var rows = Rows(8, (i, y, x) => (byte)(x < 24 ? 0 : 1));
        var options = Options();
        options.ClassWeights = [0.25f, 1f];

        using (var model = MLContext.Transforms.ReparamSegmentation(options).Fit(MLContext.Data.LoadFromEnumerable(rows)))
        {
            Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, model.FoldReport.OnnxMaxAbsError);
        }

        options.ClassWeights = [1f, 1f, 1f];
        var error = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSegmentation(options).Fit(MLContext.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "ClassWeights has 3 weights but the masks have 2 classes");
        rows.ForEach(r => r.Dispose());
    }

    [TestMethod]
    public void ATrainerKeepsItsOwnCopyOfTheOptions()
    {
        var rows = Rows(8, (i, y, x) => (byte)(x < 16 ? 0 : 1));
        var options = Options();
        var trainer = MLContext.Transforms.ReparamSegmentation(options);
        options.MaskColumnName = "Missing";
        options.StageWidths[0] = -1;

        using var model = trainer.Fit(MLContext.Data.LoadFromEnumerable(rows));

        Assert.AreEqual(4, model.Graph.Ops.OfType<Microsoft.ML.Reparam.Plain.PlainConv>().First().OutChannels);
        rows.ForEach(r => r.Dispose());
    }

    [TestMethod]
    public void NearestResamplingIsCentredBothWays()
    {
        CollectionAssert.AreEqual(new[] { 1, 4, 7 }, Enumerable.Range(0, 3).Select(i => Tasks.Segmentation.MaskReader.Nearest(i, 3, 9)).ToArray());
        CollectionAssert.AreEqual(new[] { 0, 0, 0, 1, 1, 1, 2, 2, 2 }, Enumerable.Range(0, 9).Select(i => Tasks.Segmentation.MaskReader.Nearest(i, 9, 3)).ToArray());
        CollectionAssert.AreEqual(new[] { 1, 3, 5 }, Enumerable.Range(0, 3).Select(i => Tasks.Segmentation.MaskReader.Nearest(i, 3, 6)).ToArray());
    }

    [TestMethod]
    public void ABatchWithNothingToCountHasZeroLossAndOtherwiseTheWeightedMean()
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        TorchSharp.torch.manual_seed(3);
        var logits = TorchSharp.torch.randn(2, 2, 4, 4);
        var ignored = TorchSharp.torch.full([2, 4, 4], 255L);
        var mixed = TorchSharp.torch.randint(0, 2, [2, 4, 4]);
        var weighted = new Tasks.Segmentation.SegmentationObjective(2, [0.5f, 2f]);

        Assert.AreEqual(0f, new Tasks.Segmentation.SegmentationObjective(2, null).Loss(logits, ignored).item<float>());
        Assert.AreEqual(0f, new Tasks.Segmentation.SegmentationObjective(2, [0f, 1f]).Loss(logits, TorchSharp.torch.zeros([2, 4, 4], TorchSharp.torch.int64)).item<float>());
        var expected = TorchSharp.torch.nn.functional.cross_entropy(logits, mixed, TorchSharp.torch.tensor(new[] { 0.5f, 2f })).item<float>();
        Assert.AreEqual(expected, weighted.Loss(logits, mixed).item<float>(), 1e-6);
    }

    [TestMethod]
    public void BadOptionsAreNamedWhenTheTrainerIsCreated()
    {
        var names = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSegmentation(new ReparamSegmentationOptions { ClassNames = ["one"] }));
        StringAssert.Contains(names.Message, "ClassNames must hold 2 to 254 distinct, non-empty names; got [one]");
        var map = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSegmentation(new ReparamSegmentationOptions { MaskValues = new Dictionary<int, int> { [0] = 0, [300] = 1 } }));
        StringAssert.Contains(map.Message, "MaskValues maps pixel values 0..255");
        var widths = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSegmentation(new ReparamSegmentationOptions { StageWidths = [8] }));
        StringAssert.Contains(widths.Message, "The U-Net needs two or more StageWidths (got [8])");
    }

    private static ReparamSegmentationOptions Options() => new()
    {
        StageWidths = [4, 8],
        Epochs = 1,
        BatchSize = 6,
        ValidationFraction = 0,
        FoldCheckImages = 2,
        Seed = 1,
    };

    private static List<ImageMaskRow> Rows(int count, Func<int, int, int, byte> mask, int maskSize = 32) =>
        [.. Enumerable.Range(0, count).Select(i => new ImageMaskRow
        {
            Image = Gray(32, (y, x) => (byte)((x * 8) + i)),
            Mask = Gray(maskSize, (y, x) => mask(i, y, x)),
        })];

    private static MLImage Gray(int size, Func<int, int, byte> value, (int X, int Y, byte Red)? colour = null)
    {
        var bgra = new byte[4 * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var v = value(y, x);
                var at = 4 * ((y * size) + x);
                (bgra[at], bgra[at + 1], bgra[at + 2], bgra[at + 3]) = (v, v, v, 255);
            }
        }

        if (colour is { } c)
        {
            var at = 4 * ((c.Y * size) + c.X);
            (bgra[at], bgra[at + 1], bgra[at + 2]) = (0, 0, c.Red);
        }

        return MLImage.CreateFromPixels(size, size, MLPixelFormat.Bgra32, bgra);
    }

    private sealed class ImageMaskRow : IDisposable
    {
        [ImageType(32, 32)]
        public MLImage Image { get; set; } = null!;

        [ImageType(32, 32)]
        public MLImage Mask { get; set; } = null!;

        public void Dispose()
        {
            Image.Dispose();
            Mask.Dispose();
        }
    }

    private sealed class TextMaskRow
    {
        [ImageType(32, 32)]
        public MLImage Image { get; set; } = null!;

        public string Mask { get; set; } = string.Empty;
    }

    private sealed class ImageOnlyRow
    {
        [ImageType(32, 32)]
        public MLImage Image { get; set; } = null!;
    }
}
