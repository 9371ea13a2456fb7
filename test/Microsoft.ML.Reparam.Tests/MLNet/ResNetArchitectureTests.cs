using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Tests.MLNet;

[TestClass]
public sealed class ResNetArchitectureTests
{
    [TestMethod]
    public void AResNetFitFoldsWithItsAddNodesAndItsZipScoresInStockMLNet()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TinyFashion.KeyedView(mlContext, TinyFashion.Images(80));
        var options = TinyFashion.Options();
        options.Architecture = NetworkArchitecture.ResNet;
        options.BlockKind = BlockKind.Dbb;

        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data);

        Assert.IsLessThanOrEqualTo(FoldError.Float32Tolerance, model.FoldError.MaxRelative);
        Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, model.FoldReport.OnnxMaxAbsError);
        Assert.AreEqual(2, model.Graph.Ops.OfType<PlainAdd>().Count()); // one residual block per stage
        Assert.IsInstanceOfType<PlainNormalize>(model.Graph.Nodes[0].Op);
        StockConsumer.AssertPredictsAsInProcess(mlContext, model);
    }
}
