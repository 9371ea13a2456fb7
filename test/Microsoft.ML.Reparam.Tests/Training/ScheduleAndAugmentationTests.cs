using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

[TestClass]
public sealed class ScheduleAndAugmentationTests
{
    [TestMethod]
    public void CosineScheduleWarmsUpLinearlyThenDecaysToZero()
    {
        var schedule = new CosineSchedule(0.1, totalSteps: 110, warmupSteps: 10);

        Assert.AreEqual(0.01, schedule.At(0), 1e-12);
        Assert.AreEqual(0.05, schedule.At(4), 1e-12);
        Assert.AreEqual(0.1, schedule.At(10), 1e-12);          // first decay step: cos(0) = 1
        Assert.AreEqual(0.05, schedule.At(60), 1e-12);         // half-way through the decay
        Assert.AreEqual(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 99 / 100)), schedule.At(109), 1e-12);
        Assert.AreEqual(0, schedule.At(110));
    }

    [TestMethod]
    public void LabelSmoothingGivesTheSmoothedCrossEntropy()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2f, 0f, 0f }).reshape(1, 3);
        var target = tensor(new long[] { 0 });
        var logSoftmax = nn.functional.log_softmax(logits, 1).data<float>().ToArray();

        var loss = nn.functional.cross_entropy(logits, target, label_smoothing: 0.3).item<float>();

        // Target distribution: (1 − ε) on the label plus ε/K on every class.
        var expected = -(((1 - 0.3) + (0.3 / 3)) * logSoftmax[0]) - (0.3 / 3 * (logSoftmax[1] + logSoftmax[2]));
        Assert.AreEqual(expected, loss, 1e-6);
    }

    [TestMethod]
    public void FlipMirrorsEachFlippedImageAndCropShiftsWithinThePadding()
    {
        using var scope = NewDisposeScope();
        var image = arange(9, dtype: float32).reshape(1, 1, 3, 3) + 1;
        var flips = new BatchAugmenter(0, horizontalFlip: true, seed: 0);
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            seen.Add(string.Join(",", flips.Apply(image).data<float>().ToArray()));
        }

        CollectionAssert.AreEquivalent(new[] { "1,2,3,4,5,6,7,8,9", "3,2,1,6,5,4,9,8,7" }, seen.ToArray());

        var crops = new BatchAugmenter(1, horizontalFlip: false, seed: 0);
        for (var i = 0; i < 20; i++)
        {
            var crop = crops.Apply(image).data<float>().ToArray();
            // Every cropped pixel is either padding (0) or an original pixel, and the centre of a 1-pixel shift stays inside the image.
            Assert.IsTrue(crop.All(v => v is >= 0 and <= 9));
            Assert.IsTrue(crop[4] is >= 1 and <= 9);
            Assert.AreEqual(9, crop.Length);
        }
    }
}
