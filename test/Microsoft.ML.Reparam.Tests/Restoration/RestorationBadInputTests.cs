namespace Microsoft.ML.Reparam.Tests.Restoration;

[TestClass]
public sealed class RestorationBadInputTests
{
    private static readonly MLContext MLContext = new(seed: 1);

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    public void AScaleOtherThanTwoThreeOrFourIsRefused(int scale)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamSuperResolution(scale: scale));
        StringAssert.Contains(error.Message, "Scale");
        StringAssert.Contains(error.Message, "2, 3 or 4");
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(-5f)]
    [DataRow(float.NaN)]
    public void ANoiseLevelThatIsNotPositiveIsRefused(float sigma)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamDenoising(noiseLevel: sigma));
        StringAssert.Contains(error.Message, "NoiseLevel");
    }

    [TestMethod]
    public void ABlindRangeBelowItsLowerEndAndTinyPatchesAreRefused()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { NoiseLevel = 25, MaxNoiseLevel = 10 })).Message, "MaxNoiseLevel");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { PatchSize = 2 })).Message, "PatchSize");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { Width = 0 })).Message, "Width");
    }

    [TestMethod]
    public void AnImageSmallerThanAPatchIsNamedByRow()
    {
        using var large = TestImages.Make(40, 40, 1).ToMLImage();
        using var small = TestImages.Make(20, 40, 2).ToMLImage();
        var data = TestImages.DataView(MLContext, [large, small]);
        var error = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { PatchSize = 16, Epochs = 1 }).Fit(data));
        StringAssert.Contains(error.Message, "row 1 is 20x40");
        StringAssert.Contains(error.Message, "32x32");
        Assert.AreEqual(20, small.Width); // the caller's images stay usable
    }

    [TestMethod]
    public void AnEmptyDataSetAndANonImageColumnAreNamed()
    {
        var empty = TestImages.DataView(MLContext, []);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamDenoising(epochs: 1).Fit(empty)).Message, "no rows");
        var text = MLContext.Data.LoadFromEnumerable([new TextRow { Image = "a.png" }]);
        var error = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSuperResolution(epochs: 1).Fit(text));
        StringAssert.Contains(error.Message, "Image column 'Image' has type");
        var missing = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamSuperResolution(imageColumnName: "Photo", epochs: 1).Fit(text));
        StringAssert.Contains(missing.Message, "'Photo' was not found");
    }

    [TestMethod]
    public void HalfADeclaredSizeAndCropPaddingAreRefused()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamSuperResolution(new ReparamSuperResolutionOptions { ImageWidth = 64 })).Message, "both positive or both null");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { RandomCropPadding = 4 })).Message, "RandomCropPadding");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => MLContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { ColorChannels = 1 })).Message, "ColorChannels");
    }

    [TestMethod]
    public void OneImageCannotBeSplitIntoTrainingAndValidationImages()
    {
        using var image = TestImages.Make(40, 40, 1).ToMLImage();
        var data = TestImages.DataView(MLContext, [image]);
        var error = Assert.ThrowsExactly<ArgumentException>(() => MLContext.Transforms.ReparamDenoising(new ReparamDenoisingOptions { PatchSize = 8, PatchesPerImage = 4, Epochs = 1 }).Fit(data));
        StringAssert.Contains(error.Message, "come from one image");
    }

    [TestMethod]
    public void EvaluatingAnImageTooSmallForTheProtocolNamesItsRowAndADisposedModelSaysSo()
    {
        using var large = TestImages.Make(24, 24, 1).ToMLImage();
        using var other = TestImages.Make(26, 22, 2).ToMLImage();
        var options = RestorationTrainerTests.SuperResolutionOptions();
        options.Epochs = 1;
        var model = MLContext.Transforms.ReparamSuperResolution(options).Fit(TestImages.DataView(MLContext, [large, other]));
        using var small = TestImages.Make(30, 12, 3).ToMLImage();
        var error = Assert.ThrowsExactly<ArgumentException>(() => model.Evaluate(TestImages.DataView(MLContext, [large, small])));
        StringAssert.Contains(error.Message, "row 1 is 30x12");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Evaluate(TestImages.DataView(MLContext, []))).Message, "evaluation data has no rows");
        model.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => model.Restore(large));
    }

    private sealed class TextRow
    {
        public string Image { get; set; } = string.Empty;
    }
}
