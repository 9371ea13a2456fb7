using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Training;

namespace Microsoft.ML.Reparam.Tests.MLNet;

[TestClass]
public sealed class ReparamConvTrainerTests
{
    private static MLContext s_mlContext = null!;
    private static IDataView s_data = null!;
    private static ReparamConvTransformer s_model = null!;
    private static List<TrainingProgress> s_progress = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        s_mlContext = new MLContext(seed: 1);
        s_data = TinyFashion.KeyedView(s_mlContext, TinyFashion.Images(120));
        s_progress = [];
        var options = TinyFashion.Options();
        options.Progress = new SynchronousProgress<TrainingProgress>(s_progress.Add);
        s_model = s_mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(s_data);
    }

    [ClassCleanup]
    public static void Cleanup() => s_model.Dispose();

    [TestMethod]
    public void FitReportsProgressAndAnExactFold()
    {
        Assert.HasCount(2, s_progress);
        Assert.AreEqual(2, s_model.Training.History.Count);
        Assert.IsLessThanOrEqualTo(FoldError.Float32Tolerance, s_model.FoldError.MaxRelative);
        Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, s_model.FoldReport.OnnxMaxAbsError);
        Assert.AreEqual(12, s_model.FoldReport.Images); // a tenth of 120 images, held back
        VBuffer<ReadOnlyMemory<char>> labelNames = default;
        s_data.Schema["Label"].GetKeyValues(ref labelNames);
        CollectionAssert.AreEqual(labelNames.DenseValues().Select(n => n.ToString()).ToArray(), s_model.ClassNames.ToArray());
    }

    [TestMethod]
    public void ScoresAreProbabilitiesAndThePredictedKeyIsTheirArgMaxWithTheLabelsKeyValues()
    {
        var scored = s_model.Transform(s_data);
        var predicted = scored.Schema["PredictedLabel"];
        var keyType = (KeyDataViewType)predicted.Type;
        Assert.AreEqual(10ul, keyType.Count);
        VBuffer<ReadOnlyMemory<char>> names = default;
        predicted.GetKeyValues(ref names);
        VBuffer<ReadOnlyMemory<char>> labelNames = default;
        scored.Schema["Label"].GetKeyValues(ref labelNames);
        CollectionAssert.AreEqual(labelNames.DenseValues().Select(n => n.ToString()).ToArray(), names.DenseValues().Select(n => n.ToString()).ToArray());

        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToList();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
        Assert.HasCount(120, scores);
        for (var i = 0; i < scores.Count; i++)
        {
            Assert.AreEqual(1.0, scores[i].Sum(), 1e-5);
            Assert.AreEqual((uint)Array.IndexOf(scores[i], scores[i].Max()) + 1, keys[i]);
        }
    }

    [TestMethod]
    public void EvaluateWorksOnTheOutput()
    {
        var metrics = s_mlContext.MulticlassClassification.Evaluate(s_model.Transform(s_data));

        var scored = s_model.Transform(s_data);
        var labels = scored.GetColumn<uint>("Label").ToList();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToList();
        var accuracy = labels.Zip(keys).Count(pair => pair.First == pair.Second) / (double)labels.Count;
        Assert.AreEqual(accuracy, metrics.MicroAccuracy, 1e-9);
        Assert.IsGreaterThan(0.1, metrics.MicroAccuracy); // better than chance on images it trained on
    }

    [TestMethod]
    public void SavedModelLoadsInStockMLNetInAnotherProcessAndPredictsTheSame() => StockConsumer.AssertPredictsAsInProcess(s_mlContext, s_model);

    [TestMethod]
    public void ModelSavedAndLoadedInProcessGivesIdenticalScores()
    {
        using var folder = new TemporaryFolder();
        var zip = Path.Combine(folder.Path, "model.zip");
        s_mlContext.Model.Save(s_model, s_data.Schema, zip);
        var loaded = s_mlContext.Model.Load(zip, out _);

        Assert.IsNotInstanceOfType<ReparamConvTransformer>(loaded); // stock transformers only
        var expected = s_model.Transform(s_data).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        var actual = loaded.Transform(s_data).GetColumn<VBuffer<float>>("Score").SelectMany(v => v.DenseValues()).ToArray();
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void SavedOnnxFileIsTheScoringGraphAtAnySize()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        s_model.SaveOnnx(path);
        var pixels = Enumerable.Range(0, 784).Select(i => (i % 17) / 17f).ToArray();
        using var saved = new Microsoft.ML.Reparam.Onnx.OnnxModelRunner(File.ReadAllBytes(path));
        using var scoring = new Microsoft.ML.Reparam.Onnx.OnnxModelRunner(s_model.GetOnnxModel());

        var scores = saved.Run(pixels, [1, 1, 28, 28], "probabilities");
        var expected = scoring.Run(pixels, [1, 1, 28, 28], "ReparamProbabilities");
        var larger = saved.Run(new float[2 * 40 * 36], [2, 1, 40, 36], "probabilities");

        Assert.HasCount(10, scores);
        Assert.AreEqual(1.0, scores.Sum(), 1e-5);
        CollectionAssert.AreEqual(expected, scores);
        Assert.HasCount(20, larger);
    }
}
