using Microsoft.ML.Data;

namespace Microsoft.ML.Reparam.Tests.MLNet;

/// <summary>The trainers declare their key outputs with key values, as ML.NET's own do, so an estimator chain can map them back to values.</summary>
[TestClass]
public sealed class EstimatorChainTests
{
    [TestMethod]
    public void AChainMapsThePredictedLabelBackToTheClassName()
    {
        var mlContext = new MLContext(1);
        var view = TinyFashion.KeyedView(mlContext, TinyFashion.Images(40));
        var chain = mlContext.MulticlassClassification.Trainers.ReparamConv(TinyFashion.Options())
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = chain.Fit(view);
        var labels = model.Transform(view).GetColumn<string>("PredictedLabel").ToList();

        Assert.HasCount(40, labels);
        Assert.IsTrue(labels.All(label => ((ReparamConvTransformer)model.First()).ClassNames.Contains(label)));
        ((IDisposable)model.First()).Dispose();
    }

    [TestMethod]
    public void AChainMapsThePredictedMaskBackToClassNames()
    {
        var mlContext = new MLContext(1);
        var scenes = Reparam.Data.SegmentationImages.Synthetic(6, size: 32, seed: 2, garments: 1).ToDataView(mlContext);
        var chain = mlContext.Transforms.ReparamSegmentation(new ReparamSegmentationOptions { StageWidths = [4, 8], StageDepths = [1], Epochs = 1, BatchSize = 3, ValidationFraction = 0, FoldCheckImages = 1 })
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("MaskNames", "PredictedMask"));

        var model = chain.Fit(scenes);

        var names = model.Transform(scenes).GetColumn<VBuffer<ReadOnlyMemory<char>>>("MaskNames").First();
        Assert.AreEqual(32 * 32, names.Length);
        ((IDisposable)model.First()).Dispose();
    }
}
