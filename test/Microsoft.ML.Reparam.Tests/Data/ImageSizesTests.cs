using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tests.Data;

[TestClass]
public sealed class ImageSizesTests
{
    [TestMethod]
    [DataRow(28, 28, 28, 2)]   // images of the model's size: the smallest factor, 2
    [DataRow(28, 56, 56, 4)]   // 2 × 28 = 56 is not above 56
    [DataRow(28, 100, 30, 4)]  // 4 × 28 = 112 > 100
    [DataRow(64, 512, 300, 16)] // photos for a small model: 16 × 64 = 1024 > 512
    public void TheFirstResizeEnlargesEveryTrainingImage(int model, int largestWidth, int largestHeight, int expected)
    {
        var mlContext = new MLContext();
        var images = new[] { Gray(largestWidth, largestHeight), Gray(model, model) };
        var data = mlContext.Data.LoadFromEnumerable(images.Select(i => new Row { Image = i }));
        var options = new ReparamConvTrainerOptions { ImageWidth = model, ImageHeight = model };

        var sizes = InputSchemaCheck.ImageSizes(data, data.Schema["Image"], options);

        Assert.AreEqual(new ImageSizes(model, model, expected), sizes);
        Assert.IsTrue(images.All(i => i.Width > 0)); // read, not disposed
        Array.ForEach(images, i => i.Dispose());
    }

    private static MLImage Gray(int width, int height) => MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, new byte[4 * width * height]);

    private sealed class Row
    {
        [ImageType(1, 1)]
        public MLImage Image { get; set; } = null!;
    }
}
