using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Onnx;

namespace Microsoft.ML.Reparam.Tests.Data;

[TestClass]
public sealed class GrayscaleModelTests
{
    [TestMethod]
    public void GrayIsMLNetsWeightedSumAndGrayPixelsPassUnchanged()
    {
        const int Height = 3;
        const int Width = 4;
        const int Size = Height * Width;
        var random = new Random(5);
        var rgb = new float[3 * Size];
        for (var p = 0; p < Size; p++)
        {
            var gray = p % 2 == 0;
            var (r, g, b) = (random.Next(256) / 255f, random.Next(256) / 255f, random.Next(256) / 255f);
            (rgb[p], rgb[Size + p], rgb[(2 * Size) + p]) = gray ? (r, r, r) : (r, g, b);
        }

        using var runner = new OnnxModelRunner(GrayscaleModel.Bytes(Height, Width));
        var output = runner.Run(rgb, [1, 3, Height, Width]);

        Assert.HasCount(Size, output);
        for (var p = 0; p < Size; p++)
        {
            var (r, g, b) = (rgb[p], rgb[Size + p], rgb[(2 * Size) + p]);
            if (p % 2 == 0)
            {
                Assert.AreEqual(r, output[p], 0f, $"gray pixel {p}");
            }
            else
            {
                Assert.AreEqual((0.3 * r) + (0.59 * g) + (0.11 * b), output[p], 1e-6, $"colour pixel {p}");
            }
        }
    }

    [TestMethod]
    public void TheModelFileIsWrittenOnceAndRewrittenWhenItDiffers()
    {
        var path = GrayscaleModel.FileFor(5, 7);
        CollectionAssert.AreEqual(GrayscaleModel.Bytes(5, 7), File.ReadAllBytes(path));

        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.AreEqual(path, GrayscaleModel.FileFor(5, 7));
        CollectionAssert.AreEqual(GrayscaleModel.Bytes(5, 7), File.ReadAllBytes(path));
    }
}
