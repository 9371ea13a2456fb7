using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tests.Data;

[TestClass]
public sealed class FashionMnistTests
{
    [TestMethod]
    public void EmbeddedSubsetIsClassBalancedWithTheStatedSizes()
    {
        var (train, test) = FashionMnist.LoadEmbedded();

        Assert.AreEqual(10_000, train.Count);
        Assert.AreEqual(2_000, test.Count);
        Assert.AreEqual(28, train.Height);
        Assert.AreEqual(28, train.Width);
        Assert.IsTrue(train.Labels.GroupBy(l => l).All(g => g.Count() == 1000));
        Assert.IsTrue(test.Labels.GroupBy(l => l).All(g => g.Count() == 200));
        Assert.AreEqual("Ankle boot", FashionMnist.ClassNames[9]);
    }

    [TestMethod]
    public void EmbeddedSubsetFollowsItsRuleOnTheFullSet()
    {
        var (train, _) = FashionMnist.LoadEmbedded();
        if (!Directory.Exists(FashionMnist.DefaultDirectory))
        {
            // Without the Debian package, check the rule's visible consequence: the first image is an ankle boot (label 9), as in the full set.
            Assert.AreEqual(9, train.Labels[0]);
            return;
        }

        var (full, _) = FashionMnist.Load(FashionMnist.DefaultDirectory);
        var indices = FashionMnistSubset.BalancedIndices(full.Labels, 1000);
        Assert.HasCount(10_000, indices);
        foreach (var i in new[] { 0, 1, 4_999, 9_999 })
        {
            CollectionAssert.AreEqual(full.Pixels.AsSpan(indices[i] * 784, 784).ToArray(), train.Pixels.AsSpan(i * 784, 784).ToArray());
            Assert.AreEqual(full.Labels[indices[i]], train.Labels[i]);
        }
    }

    [TestMethod]
    public void TensorDatasetIsScaledToTheUnitInterval()
    {
        var (_, test) = FashionMnist.LoadEmbedded();
        var data = test.Take(3).ToTensorDataset();

        Assert.AreEqual(3, data.Count);
        Assert.AreEqual(784, data.ImageSize);
        Assert.AreEqual(test.Pixels[100] / 255f, data.Pixels[100]);
        Assert.AreEqual(test.Pixels[784 + 5] / 255f, data.Pixels[784 + 5]);
    }

    [TestMethod]
    public void DataViewImagesRoundTripThroughMLNetPixelExtraction()
    {
        var mlContext = new MLContext(seed: 0);
        var (_, test) = FashionMnist.LoadEmbedded();
        var images = test.Take(4);
        var view = images.ToDataView(mlContext);

        Assert.IsInstanceOfType<ImageDataViewType>(view.Schema["Image"].Type);
        Assert.AreEqual(TextDataViewType.Instance, view.Schema["Label"].Type);
        var pixels = mlContext.Transforms.ExtractPixels("Pixels", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255)
            .Fit(view).Transform(view);
        var rows = pixels.GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().ToArray()).ToList();
        var labels = pixels.GetColumn<ReadOnlyMemory<char>>("Label").Select(l => l.ToString()).ToList();

        for (var n = 0; n < 4; n++)
        {
            Assert.AreEqual(FashionMnist.ClassNames[images.Labels[n]], labels[n]);
            for (var p = 0; p < 784; p++)
            {
                Assert.AreEqual(images.Pixels[(n * 784) + p] / 255f, rows[n][p], 1e-7f);
            }
        }
    }

    [TestMethod]
    public void PngFilesDecodeToTheSamePixels()
    {
        using var folder = new TemporaryFolder();
        var (_, test) = FashionMnist.LoadEmbedded();
        var files = test.Take(2).WritePngFiles(folder.Path);

        using var decoded = MLImage.CreateFromFile(files[1].Path);
        var bgra = decoded.Pixels.ToArray();
        Assert.AreEqual(28, decoded.Width);
        Assert.AreEqual(test.Pixels[784 + 300], bgra[(300 * 4) + 2]); // red channel of pixel 300
        Assert.AreEqual(FashionMnist.ClassNames[test.Labels[1]], files[1].Label);
    }
}
