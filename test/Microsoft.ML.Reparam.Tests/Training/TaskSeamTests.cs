using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

/// <summary>The training loop serves any task: map targets move with their images, and the objective decides which epoch is best.</summary>
[TestClass]
public sealed class TaskSeamTests
{
    [TestMethod]
    public void MasksGetTheSameCropFlipsAndRotationAsTheirImages()
    {
        using var scope = NewDisposeScope();
        // Image pixel value = its own index; the mask holds the same index, so after augmentation they must still agree
        // wherever the mask is not padding.
        var images = arange(2 * 6 * 6, float32).reshape(2, 1, 6, 6);
        var masks = images.squeeze(1).to(int64);
        var augmenter = new BatchAugmenter(2, horizontalFlip: true, seed: 5, verticalFlip: true, rotate90: true);

        for (var draw = 0; draw < 8; draw++)
        {
            var (image, mask) = augmenter.Apply(images, masks, 1, 255);
            var inside = mask!.ne(255);
            Assert.IsTrue(image.squeeze(1).to(int64).masked_select(inside).eq(mask.masked_select(inside)).all().item<bool>(), $"draw {draw}");
            Assert.IsTrue(image.squeeze(1).masked_select(inside.logical_not()).eq(0).all().item<bool>(), "padding of the image is zero");
        }
    }

    [TestMethod]
    public void ALargerTargetImageIsCroppedAtItsOwnScale()
    {
        using var scope = NewDisposeScope();
        var images = rand(3, 1, 4, 4);
        var targets = nn.functional.interpolate(images, scale_factor: [2, 2], mode: InterpolationMode.Nearest); // 8×8, each pixel 2×2
        var augmenter = new BatchAugmenter(1, horizontalFlip: true, seed: 9, verticalFlip: true, rotate90: true);

        var (image, target) = augmenter.Apply(images, targets, 2, 0);

        var expected = nn.functional.interpolate(image, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
        Assert.IsTrue(expected.eq(target!).all().item<bool>());
    }

    [TestMethod]
    public void ClassTargetsAreNotAugmentedAndSquareRotationIsSkippedForOblongImages()
    {
        using var scope = NewDisposeScope();
        var images = rand(2, 1, 4, 6);
        var labels = tensor(new long[] { 3, 7 });
        var augmenter = new BatchAugmenter(0, horizontalFlip: false, seed: 1, rotate90: true);

        var (image, target) = augmenter.Apply(images, labels, 0, 0);

        Assert.AreSame(labels, target);
        Assert.IsTrue(image.eq(images).all().item<bool>());
    }

    [TestMethod]
    public void ALowerIsBetterObjectiveKeepsTheEpochWithTheLowestValidationMetric()
    {
        var data = ToyData.LeftRight(64);
        manual_seed(2);
        using var model = new VggClassifier(new ClassifierArchitecture(1, 8, 8, 2, [4], [1], [1]), BlockKind.Plain);
        var history = new List<TrainingProgress>();
        var settings = new TrainingSettings { Epochs = 4, BatchSize = 16, ValidationFraction = 0.25, Seed = 2, Objective = new LossAsMetric() };

        var result = TrainingLoop.Train(model, data, settings, new SynchronousProgress<TrainingProgress>(history.Add));

        Assert.IsTrue(history.All(h => h.MetricName == "validation loss"));
        Assert.AreEqual(history.Min(h => h.ValidationMetric!.Value), history[result.BestEpoch - 1].ValidationMetric);
    }

    [TestMethod]
    public void TrainingRowsAreAViewOverTheOnePixelArray()
    {
        var data = ToyData.LeftRight(10);

        var view = new BatchSource(data, [7, 2], [], []);
        var (images, labels) = view.Batch([1, 0]);

        Assert.AreSame(data.Pixels, view.Data.Pixels);
        Assert.AreEqual(2, view.Count);
        CollectionAssert.AreEqual(data.Pixels.AsSpan(2 * 64, 64).ToArray(), images[0].flatten().data<float>().ToArray());
        CollectionAssert.AreEqual(new long[] { data.Labels[2], data.Labels[7] }, labels.data<long>().ToArray());
    }

    private sealed class LossAsMetric : ITrainingObjective
    {
        public string MetricName => "validation loss";

        public bool HigherIsBetter => false;

        public Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target);

        public IMetricAccumulator NewMetric() => new Mean();

        private sealed class Mean : IMetricAccumulator
        {
            private double _sum;
            private long _count;

            public double Value => _sum / Math.Max(1, _count);

            public void Add(Tensor output, Tensor target)
            {
                _sum += nn.functional.cross_entropy(output, target).item<float>() * target.shape[0];
                _count += target.shape[0];
            }
        }
    }
}
