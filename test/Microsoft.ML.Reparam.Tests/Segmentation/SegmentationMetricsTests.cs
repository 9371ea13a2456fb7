namespace Microsoft.ML.Reparam.Tests.Segmentation;

[TestClass]
public sealed class SegmentationMetricsTests
{
    [TestMethod]
    public void HandMadeMasksGiveTheKnownAnswers()
    {
        // truth:     0 0 1 1 | 2 2 255 1      predicted: 0 1 1 1 | 2 0 1 1   (255 ignored)
        int[] truth = [0, 0, 1, 1, 2, 2, 255, 1];
        int[] predicted = [0, 1, 1, 1, 2, 0, 1, 1];

        var metrics = SegmentationMetrics.Compute([(truth, predicted)], 3, ignoreValue: 255);

        // Counted pixels 7, correct 5. Class 0: TP 1, FP 1, FN 1 → 1/3. Class 1: TP 3, FP 1, FN 0 → 3/4. Class 2: TP 1, FN 1 → 1/2.
        Assert.AreEqual(5.0 / 7, metrics.PixelAccuracy, 1e-12);
        CollectionAssert.AreEqual(new[] { 1.0 / 3, 0.75, 0.5 }, metrics.PerClassIoU.ToArray());
        Assert.AreEqual((1.0 / 3 + 0.75 + 0.5) / 3, metrics.MeanIoU, 1e-12);
        CollectionAssert.AreEqual(new long[] { 1, 1, 0 }, metrics.ConfusionMatrix[0].ToArray());
        CollectionAssert.AreEqual(new long[] { 0, 3, 0 }, metrics.ConfusionMatrix[1].ToArray());
        CollectionAssert.AreEqual(new long[] { 1, 0, 1 }, metrics.ConfusionMatrix[2].ToArray());
    }

    [TestMethod]
    public void AClassInNeitherMaskIsLeftOutOfTheMean()
    {
        var metrics = SegmentationMetrics.Compute([([0, 0, 1], [0, 1, 1]), ([1, 1, 1], [1, 1, 1])], 4);

        Assert.IsTrue(double.IsNaN(metrics.PerClassIoU[2]) && double.IsNaN(metrics.PerClassIoU[3]));
        Assert.AreEqual((0.5 + 0.8) / 2, metrics.MeanIoU, 1e-12); // class 0: 1/(1+1); class 1: 4/(4+1)
        Assert.AreEqual(5.0 / 6, metrics.PixelAccuracy, 1e-12);
    }

    [TestMethod]
    public void BadMasksAreNamed()
    {
        var length = Assert.ThrowsExactly<ArgumentException>(() => SegmentationMetrics.Compute([([0, 1], [0])], 2));
        StringAssert.Contains(length.Message, "Mask pair 0: the true mask has 2 pixels, the predicted one 1");
        var value = Assert.ThrowsExactly<ArgumentException>(() => SegmentationMetrics.Compute([([0, 1], [0, 1]), ([0, 3], [0, 1])], 2));
        StringAssert.Contains(value.Message, "Mask pair 1, pixel 1: true 3, predicted 1; classes are 0..1");
    }
}
