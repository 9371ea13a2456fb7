using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Onnx.Proto;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Quantization;
using Microsoft.ML.Reparam.Tests.MLNet;
using Microsoft.ML.Reparam.Tests.Restoration;
using Microsoft.ML.Reparam.Tests.Segmentation;

namespace Microsoft.ML.Reparam.Tests.Quantization;

/// <summary>Fits with <see cref="ReparamTrainerOptions.Quantization"/>: the INT8 model is what scores, saves and exports, and the fit measures it.</summary>
[TestClass]
public sealed class Int8FitTests
{
    private static MLContext s_mlContext = null!;
    private static ReparamConvTransformer s_classifier = null!;

    [ClassInitialize]
    public static void TrainOnce(TestContext context)
    {
        s_mlContext = new MLContext(seed: 1);
        var options = TinyFashion.Options();
        options.Quantization = new QuantizationOptions { CalibrationImages = 64 };
        s_classifier = s_mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(TinyFashion.KeyedView(s_mlContext, TinyFashion.Images(200)));
    }

    [ClassCleanup]
    public static void Cleanup() => s_classifier.Dispose();

    [TestMethod]
    public void TheFitReportsTheInt8AccuracyBesideTheFloatOneAndKeepsTheFloatFoldExact()
    {
        var report = s_classifier.Quantization!;
        Assert.AreEqual("accuracy", report.MetricName);
        Assert.AreEqual(20, report.Images);
        Assert.AreEqual(64, report.CalibrationImages);
        Assert.IsTrue(report.FloatMetric is > 0.1 and <= 1 && report.Int8Metric is > 0.1 and <= 1, report.ToString());
        Assert.IsLessThanOrEqualTo(0.1, Math.Abs(report.FloatMetric - report.Int8Metric), report.ToString()); // at most 2 of 20 images change
        Assert.IsGreaterThan(0.0, report.MaxAbsDifference, "the deployed model is the quantized one");
        Assert.IsLessThanOrEqualTo(0.05, report.KernelMaxAbsError, report.ToString()); // a few activation steps at most; saturation gives 0.3 and more
        Assert.AreEqual(s_classifier.Graph.Ops.OfType<PlainConv>().Count(), report.Operators.Integer["QLinearConv"], report.ToString());
        Assert.AreEqual(1, report.Operators.Integer["QGemm"], report.ToString());
        Assert.IsLessThanOrEqualTo(FoldReport.OnnxTolerance, s_classifier.FoldReport.OnnxMaxAbsError, "the float fold is still checked");
    }

    [TestMethod]
    public void SaveOnnxWritesTheQdqGraphInTheStandardOpsetAndScoringUsesIt()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "model.onnx");
        s_classifier.SaveOnnx(path);
        foreach (var model in new[] { File.ReadAllBytes(path), s_classifier.GetOnnxModel() })
        {
            var graph = ModelProto.Parser.ParseFrom(model).Graph;
            Assert.IsTrue(graph.Node.Any(n => n.OpType == "QuantizeLinear") && graph.Node.Any(n => n.OpType == "DequantizeLinear"));
            Assert.IsTrue(graph.Node.All(n => string.IsNullOrEmpty(n.Domain)), "no custom operators");
            Assert.IsTrue(graph.Initializer.Any(t => t.DataType == (int)TensorProto.Types.DataType.Int8));
        }

        var images = TinyFashion.Images(40);
        var scored = s_classifier.Transform(TinyFashion.KeyedView(s_mlContext, images)).GetColumn<uint>("PredictedLabel").Select(k => (int)k - 1).ToArray();
        using var int8 = new OnnxModule(File.ReadAllBytes(path));
        using var pixels = TorchSharp.torch.tensor(images.Pixels.Select(b => b / 255f).ToArray()).reshape(40, 1, 28, 28);
        using var logits = int8.forward(pixels);
        using var argMax = logits.argmax(1);
        CollectionAssert.AreEqual(argMax.data<long>().ToArray().Select(v => (int)v).ToArray(), scored);
    }

    [TestMethod]
    public void TheSavedInt8ModelScoresInStockMLNetAsInProcess() => StockConsumer.AssertPredictsAsInProcess(s_mlContext, s_classifier);

    [TestMethod]
    public void ASegmenterQuantizesAndItsStockChainPredictsTheInt8Masks()
    {
        var mlContext = new MLContext(seed: 1);
        var scenes = SegmentationImages.Synthetic(40, size: 32, seed: 3, garments: 2);
        var data = scenes.ToDataView(mlContext);
        var options = SegmentationTrainerTests.Options();
        options.Quantization = new QuantizationOptions { CalibrationImages = 16 };
        using var model = mlContext.Transforms.ReparamSegmentation(options).Fit(data);

        var report = model.Quantization!;
        Assert.AreEqual("mean IoU", report.MetricName);
        Assert.IsLessThanOrEqualTo(0.05, report.KernelMaxAbsError, report.ToString());
        Assert.AreEqual(model.Graph.Ops.OfType<PlainConv>().Count(), report.Operators.Integer["QLinearConv"], report.ToString());
        var scoring = ModelProto.Parser.ParseFrom(model.GetOnnxModel()).Graph;
        Assert.IsTrue(scoring.Node.Any(n => n.OpType == "QuantizeLinear"), "ML.NET scores the INT8 model");
        var masks = model.Transform(data).GetColumn<VBuffer<uint>>("PredictedMask").ToList();
        Assert.HasCount(40, masks);
        Assert.IsTrue(masks.All(m => m.Length == 32 * 32 && m.DenseValues().All(k => k is >= 1 and <= 11)));
    }

    [TestMethod]
    public void ASuperResolutionModelQuantizesWithItsPsnrReported()
    {
        var mlContext = new MLContext(seed: 1);
        var images = Enumerable.Range(0, 6).Select(i => TestImages.Make(40 + (2 * i), 36, i).ToMLImage()).ToList();
        try
        {
            var options = RestorationTrainerTests.SuperResolutionOptions();
            options.Quantization = new QuantizationOptions { CalibrationImages = 16 };
            using var model = mlContext.Transforms.ReparamSuperResolution(options).Fit(TestImages.DataView(mlContext, images));
            var report = model.Quantization!;
            Assert.AreEqual("PSNR", report.MetricName);
            Assert.IsLessThan(1.0, Math.Abs(report.FloatMetric - report.Int8Metric), report.ToString());
            Assert.IsLessThanOrEqualTo(0.05, report.KernelMaxAbsError, report.ToString());
            Assert.IsGreaterThanOrEqualTo(1, report.Operators.Integer.GetValueOrDefault("QLinearConv"), report.ToString());
            using var restored = model.Restore(images[0]);
            Assert.AreEqual((images[0].Width * 2, images[0].Height * 2), (restored.Width, restored.Height));
        }
        finally
        {
            images.ForEach(image => image.Dispose());
        }
    }
}
