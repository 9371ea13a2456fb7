using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>What one study run measured: the folded ONNX model's test accuracy and the training time.</summary>
internal sealed record ClassifierRunResult(double TestAccuracy, double SecondsPerEpoch, TrainingResult Training);

/// <summary>Trains one classifier configuration, folds it, exports it and scores the test images in ONNX Runtime.</summary>
internal static class ClassifierRun
{
    /// <summary>Fashion-MNIST pixel statistics, used by every study run.</summary>
    public static readonly float[] Mean = [0.286f];
    public static readonly float[] Std = [0.353f];

    /// <summary>The schedule every study shares: SGD momentum, peak 0.05, warm-up then cosine, batch 64, no validation split.</summary>
    public static TrainingSettings Settings(int epochs, int seed, IReadOnlyList<ITrainingHook>? hooks = null) => new()
    {
        Epochs = epochs,
        BatchSize = 64,
        LearningRate = 0.05,
        WarmupEpochs = Math.Min(1, epochs / 4.0),
        ValidationFraction = 0,
        Seed = seed,
        InputMean = Mean,
        InputStd = Std,
        Hooks = hooks ?? [],
    };

    public static ClassifierRunResult Run(BlockSpec spec, ClassifierArchitecture architecture, StudyData data, int epochs, int seed)
    {
        manual_seed(seed);
        using var model = new VggClassifier(architecture, spec);
        var training = TrainingLoop.Train(model, data.Train, Settings(epochs, seed));
        var plain = GraphFolder.Fold(model, new PlainShape(architecture.InputChannels, architecture.Height, architecture.Width), new PlainNormalize(Mean, Std));
        var onnx = OnnxExporter.Export(plain, new OnnxExportOptions());
        return new ClassifierRunResult(OnnxAccuracy(onnx, data.Test), training.TrainSeconds / epochs, training);
    }

    public static double OnnxAccuracy(byte[] onnx, Data.ImageTensorDataset test)
    {
        using var runner = new OnnxModelRunner(onnx);
        const int Batch = 500;
        var logits = new List<float>();
        for (var start = 0; start < test.Count; start += Batch)
        {
            var count = Math.Min(Batch, test.Count - start);
            var pixels = test.Pixels.AsSpan(start * test.ImageSize, count * test.ImageSize).ToArray();
            logits.AddRange(runner.Run(pixels, [count, test.Channels, test.Height, test.Width]));
        }

        return ModelEvaluation.Accuracy([.. logits], test.Labels);
    }
}
