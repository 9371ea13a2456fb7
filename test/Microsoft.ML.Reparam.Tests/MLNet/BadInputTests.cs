using Microsoft.ML.Data;

namespace Microsoft.ML.Reparam.Tests.MLNet;

/// <summary>Malformed input fails before training with a message naming the column and the problem.</summary>
[TestClass]
public sealed class BadInputTests
{
    private static readonly MLContext MLContext = new(seed: 1);

    [TestMethod]
    public void MissingImageColumnIsNamed()
    {
        var data = PixelRows([0, 1], (_, _) => 0.5f);
        var error = FitFails<ArgumentException>(data, o => o.ImageColumnName = "Picture");
        StringAssert.Contains(error.Message, "Image column 'Picture' was not found");
        StringAssert.Contains(error.Message, "Pixels");
    }

    [TestMethod]
    public void LabelThatIsNotAKeyIsNamed()
    {
        var data = MLContext.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new TextLabelRow { Pixels = new float[16], Label = $"c{i % 2}" }));
        var error = FitFails<ArgumentException>(data);
        StringAssert.Contains(error.Message, "Label column 'Label' has type String; expected a key type");
    }

    [TestMethod]
    public void ImageColumnOfTheWrongTypeIsNamed()
    {
        var data = MLContext.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(i => new TextImageRow { Pixels = "not an image", Label = (uint)(i % 2) }), KeySchema<TextImageRow>(2));
        var error = FitFails<ArgumentException>(data);
        StringAssert.Contains(error.Message, "Image column 'Pixels' has type String");
    }

    [TestMethod]
    public void ImagesOfDifferentSizesWithoutResizeAreNamedByRow()
    {
        using var folder = new TemporaryFolder();
        var rows = new[] { (4, 4), (4, 4), (5, 4) }.Select((size, i) =>
        {
            var path = Path.Combine(folder.Path, $"{i}.png");
            using var image = MLImage.CreateFromPixels(size.Item1, size.Item2, MLPixelFormat.Bgra32, new byte[size.Item1 * size.Item2 * 4]);
            image.Save(path);
            return new PathRow { ImagePath = path, Label = (uint)(i % 2) };
        }).ToList();
        var paths = MLContext.Data.LoadFromEnumerable(rows, KeySchema<PathRow>(2));
        var data = MLContext.Transforms.LoadImages("Image", null, "ImagePath").Fit(paths).Transform(paths);
        var error = FitFails<ArgumentException>(data, o => (o.ImageColumnName, o.ImageWidth, o.ImageHeight) = ("Image", null, null));
        StringAssert.Contains(error.Message, "Image column 'Image': row 2 is 5x4 but row 0 is 4x4");
    }

    [TestMethod]
    public void EmptyDataIsRejected()
    {
        var error = FitFails<ArgumentException>(PixelRows([], (_, _) => 0f));
        StringAssert.Contains(error.Message, "no rows");
    }

    [TestMethod]
    public void KeyTypeWithOneValueIsRejected()
    {
        var data = MLContext.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(_ => new PixelRow { Pixels = new float[16], Label = 0 }), KeySchema<PixelRow>(1));
        var error = FitFails<ArgumentException>(data);
        StringAssert.Contains(error.Message, "Label column 'Label' is a key with 1 value(s); at least two classes are needed");
    }

    [TestMethod]
    public void DataWithOnlyOneClassIsRejected()
    {
        var error = FitFails<ArgumentException>(PixelRows([0, 0, 0], (_, _) => 0.5f));
        StringAssert.Contains(error.Message, "Label column 'Label': all 3 rows have the same class");
    }

    [TestMethod]
    public void NaNPixelIsNamedByRowAndPosition()
    {
        var error = FitFails<ArgumentException>(PixelRows([0, 1, 0], (row, i) => row == 2 && i == 5 ? float.NaN : 0.5f));
        StringAssert.Contains(error.Message, "Image column 'Pixels': row 2 has a non-finite pixel value (NaN) at position 5");
    }

    [TestMethod]
    public void InfinitePixelIsNamedByRowAndPosition()
    {
        var error = FitFails<ArgumentException>(PixelRows([0, 1], (row, i) => row == 1 && i == 0 ? float.PositiveInfinity : 0.5f));
        StringAssert.Contains(error.Message, "row 1 has a non-finite pixel value (Infinity) at position 0");
    }

    [TestMethod]
    public void MissingLabelIsNamedByRow()
    {
        // LoadFromEnumerable stores raw value v as key v + 1, and values beyond the key count as 0 (missing).
        var rows = new uint[] { 0, 1, 7 }.Select(value => new PixelRow { Pixels = new float[16], Label = value });
        var data = MLContext.Data.LoadFromEnumerable(rows, KeySchema<PixelRow>(3));
        var error = FitFails<ArgumentException>(data);
        StringAssert.Contains(error.Message, "Label column 'Label': row 2 has a missing label (key 0:");
    }

    [TestMethod]
    public void KeyValuesThatDisagreeWithTheKeyCountAreRejected()
    {
        var schema = KeySchema<PixelRow>(3);
        var names = new VBuffer<ReadOnlyMemory<char>>(2, ["a".AsMemory(), "b".AsMemory()]);
        schema["Label"].AddAnnotation("KeyValues", names, new VectorDataViewType(TextDataViewType.Instance, 2));
        var data = MLContext.Data.LoadFromEnumerable(new uint[] { 0, 1 }.Select(value => new PixelRow { Pixels = new float[16], Label = value }), schema);
        var error = FitFails<ArgumentException>(data);
        StringAssert.Contains(error.Message, "Label column 'Label': its key type has 3 values but its key-value annotation lists 2");
    }

    [TestMethod]
    public void PixelVectorOfTheWrongLengthIsNamed()
    {
        var error = FitFails<ArgumentException>(PixelRows([0, 1], (_, _) => 0f), o => o.ImageWidth = 5);
        StringAssert.Contains(error.Message, "Image column 'Pixels' has 16 values per row but ColorChannels x ImageHeight x ImageWidth = 1x4x5 = 20");
    }

    private static T FitFails<T>(IDataView data, Action<ReparamConvTrainerOptions>? configure = null)
        where T : Exception
    {
        var options = new ReparamConvTrainerOptions { ImageColumnName = "Pixels", ImageWidth = 4, ImageHeight = 4, StageWidths = [4], StageDepths = [1], StageStrides = [1], Epochs = 1 };
        configure?.Invoke(options);
        var trainer = MLContext.MulticlassClassification.Trainers.ReparamConv(options);
        return Assert.ThrowsExactly<T>(() => trainer.Fit(data));
    }

    private static IDataView PixelRows(int[] classes, Func<int, int, float> pixel)
    {
        var rows = classes.Select((c, row) => new PixelRow { Pixels = Enumerable.Range(0, 16).Select(i => pixel(row, i)).ToArray(), Label = (uint)c });
        return MLContext.Data.LoadFromEnumerable(rows, KeySchema<PixelRow>(2));
    }

    private static SchemaDefinition KeySchema<TRow>(int classes)
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), classes);
        if (typeof(TRow) == typeof(PixelRow))
        {
            schema["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 16);
        }

        return schema;
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];

        public uint Label { get; set; }
    }

    private sealed class TextLabelRow
    {
        [VectorType(16)]
        public float[] Pixels { get; set; } = [];

        public string Label { get; set; } = string.Empty;
    }

    private sealed class TextImageRow
    {
        public string Pixels { get; set; } = string.Empty;

        public uint Label { get; set; }
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;

        public uint Label { get; set; }
    }
}
