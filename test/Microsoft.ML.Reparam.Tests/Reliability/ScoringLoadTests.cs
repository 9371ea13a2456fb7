using Microsoft.ML.Reparam.Robustness;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>The fitted transformer and the model loaded from .zip score from 8 threads exactly as from one, and leave the caller's images usable.</summary>
[TestClass]
public sealed class ScoringLoadTests
{
    [TestMethod]
    public void EightThreadsScoreBitwiseAsOneThreadInProcessAndFromZip()
    {
        var mlContext = new MLContext(1);
        var fashion = MLNet.TinyFashion.Images(40);
        var images = Enumerable.Range(0, 24).Select(fashion.ToMLImage).ToList();
        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(MLNet.TinyFashion.Options()).Fit(MLNet.TinyFashion.KeyedView(mlContext, fashion));
        using var folder = new TemporaryFolder();
        var zip = Path.Combine(folder.Path, "model.zip");
        mlContext.Model.Save(model, null, zip);
        var loaded = mlContext.Model.LoadVerified(zip, out _);

        var reference = ScoringLoad.Reference(mlContext, model, images);

        CollectionAssert.AreEqual(reference.SelectMany(s => s).ToArray(), ScoringLoad.Reference(mlContext, loaded, images).SelectMany(s => s).ToArray(), "the .zip scores as the fitted transformer");
        Assert.AreEqual(0, ScoringLoad.Engines(mlContext, model, images, reference, threads: 8, perThread: 150));
        Assert.AreEqual(0, ScoringLoad.Engines(mlContext, loaded, images, reference, threads: 8, perThread: 150));
        Assert.AreEqual(0, ScoringLoad.SharedTransform(mlContext, model, images, reference, threads: 8, rounds: 3));
        Assert.AreEqual(0, ScoringLoad.SharedTransform(mlContext, loaded, images, reference, threads: 8, rounds: 3));
        Assert.IsTrue(images.All(i => i.Width == 28), "no caller image was disposed");
        images.ForEach(i => i.Dispose());
    }
}
