using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Tests.MLNet;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam.Tests.Downsampling;

[TestClass]
public sealed class DiffStrideTrainerTests
{
    [TestMethod]
    public void TrainerLearnsStridesReportsThemAndFoldsExactly()
    {
        var mlContext = new MLContext(seed: 1);
        var data = TinyFashion.KeyedView(mlContext, TinyFashion.Images(60));
        var progress = new List<TrainingProgress>();
        var options = TinyFashion.Options();
        options.Downsampling = DownsamplingKind.DiffStride;
        options.StrideComplexityWeight = 1;
        options.LearningRate = 0.2;
        options.Progress = new SynchronousProgress<TrainingProgress>(progress.Add);

        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data);

        Assert.IsLessThanOrEqualTo(FoldError.Float32Tolerance, model.FoldError.MaxRelative);
        Assert.HasCount(2, model.Strides);
        Assert.IsTrue(model.Strides.All(s => s.Learned));
        Assert.IsTrue(model.Strides.Any(s => Math.Abs(s.Height - 2) > 1e-4), string.Join("; ", model.Strides));
        Assert.AreEqual(28, model.Strides[0].InputHeight);
        StringAssert.Contains(progress[^1].ToString(), "strides [");
        var scored = model.Transform(data);
        Assert.AreEqual(60, mlContext.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Count(p => p.PredictedLabel > 0));
    }

    [TestMethod]
    public void UnknownDownsamplingIsRejectedWhenTheTrainerIsCreated()
    {
        var options = new ReparamConvTrainerOptions { Downsampling = (DownsamplingKind)7 };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().MulticlassClassification.Trainers.ReparamConv(options)).Message, "downsampling kind");
        options = new ReparamConvTrainerOptions { Downsampling = DownsamplingKind.DiffStride, StrideComplexityWeight = double.NaN };
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new MLContext().MulticlassClassification.Trainers.ReparamConv(options)).Message, "λ");
    }

    private sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
    }
}
