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

    private static MLImage Gray(int size, Func<int, int, byte> value)
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
