using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Torch;
using Microsoft.ML.Reparam.Training.Checkpoints;
using Microsoft.ML.Reparam.Training.Optimizers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Training;

/// <summary>
/// The batch norm and optimizers that hold their scalars (docs/training.md, "Native calls") give TorchSharp's numbers:
/// the same inputs and seeds through both, compared within 1e-6.
/// </summary>
[TestClass]
public sealed class HeldScalarReplacementTests
{
    private const double Tolerance = 1e-6;

    [TestMethod]
    public void BatchNormalizationMatchesTorchSharpsBatchNorm2d()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var ours = new BatchNormalization(4);
        using var theirs = nn.BatchNorm2d(4);
        using (no_grad())
        {
            ours.Weight.copy_(randn(4));
            theirs.weight.copy_(ours.Weight);
            ours.Bias.copy_(randn(4));
            theirs.bias!.copy_(ours.Bias);
        }

        for (var step = 0; step < 5; step++)
        {
            var input = randn(3, 4, 5, 5) * (step + 1);
            var (mine, reference) = (input.detach().requires_grad_(), input.detach().requires_grad_());
            var output = ours.forward(mine);
            var expected = theirs.forward(reference);
            AssertClose(output, expected, $"training step {step}");
            (output * input).sum().backward();
            (expected * input).sum().backward();
            AssertClose(mine.grad!, reference.grad!, $"input gradient, step {step}");
            AssertClose(ours.Weight.grad!, theirs.weight.grad!, $"scale gradient, step {step}");
            AssertClose(ours.Bias.grad!, theirs.bias!.grad!, $"shift gradient, step {step}");
        }

        ours.eval();
        theirs.eval();
        var test = randn(2, 4, 5, 5);
        AssertClose(ours.forward(test), theirs.forward(test), "evaluation");
        AssertClose(ours.RunningMean, theirs.running_mean!, "running mean");
        AssertClose(ours.RunningVariance, theirs.running_var!, "running variance");
        Assert.AreEqual(5L, ours.BatchesTracked.item<long>());
        Assert.AreEqual(theirs.num_batches_tracked!.item<long>(), ours.BatchesTracked.item<long>());
        CollectionAssert.AreEqual(theirs.state_dict().Keys.ToList(), ours.state_dict().Keys.ToList(), "checkpoints name the same entries");
    }

    [TestMethod]
    public void ParametricReluMatchesTorchSharpsPrelu()
    {
        using var scope = NewDisposeScope();
        using var ours = new ParametricRelu(3);
        using var theirs = nn.PReLU(3);
        var input = randn(2, 3, 4, 4);
        var (mine, reference) = (input.detach().requires_grad_(), input.detach().requires_grad_());
        var output = ours.forward(mine);
        var expected = theirs.forward(reference);
        (output * input).sum().backward();
        (expected * input).sum().backward();

        AssertClose(output, expected, "output");
        AssertClose(mine.grad!, reference.grad!, "input gradient");
        AssertClose(ours.Weight.grad!, theirs.weight.grad!, "slope gradient");
        CollectionAssert.AreEqual(theirs.state_dict().Keys.ToList(), ours.state_dict().Keys.ToList());
    }

    /// <summary>Each held operation runs the operation TorchSharp's operator runs: bit for bit, same element type.</summary>
    [TestMethod]
    public void HeldArithmeticEqualsTorchSharpsOperators()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 5);
        var y = randn(4, 5);
        var counts = randint(10, [4, 5], dtype: int64);
        (Tensor Held, Tensor Operator)[] pairs =
        [
            (x.Plus(y), x + y),
            (x.Plus(0.1f), x + 0.1f),
            (x.Times(1e-3f), x * 1e-3f),
            (x.Times(2), x * 2),
            (x.DividedBy(255f), x / 255f),
            (x.Clamped(-0.5, 0.5), x.clamp(-0.5, 0.5)),
            (x.AtLeast(1e-12), x.clamp_min(1e-12)),
            (x.Squared(), x.square()),
            (x.LeakyRelu(0.2), nn.functional.leaky_relu(x, 0.2)),
            (counts.Times(7).Plus(1), (counts * 7) + 1),
            (counts.NotEqualTo(3), counts.ne(3)),
            (counts.Filled(counts.eq(2), 0), counts.masked_fill(counts.eq(2), 0)),
            (HeldArithmetic.Full([2, 3], 0.25, ScalarType.Float32), full([2, 3], 0.25f)),
        ];
        foreach (var (index, (held, expected)) in pairs.Index())
        {
            Assert.AreEqual(expected.dtype, held.dtype, $"pair {index}");
            Assert.IsTrue(held.eq(expected).all().item<bool>(), $"pair {index}");
        }

        var sum = x.clone();
        sum.PlusInPlace(y);
        Assert.IsTrue(sum.eq(x + y).all().item<bool>());
        var scaled = x.clone();
        scaled.TimesInPlace(0.3);
        Assert.IsTrue(scaled.eq(x * 0.3).all().item<bool>());
        var clamped = x.clone();
        clamped.ClampInPlace(0, 1);
        Assert.IsTrue(clamped.eq(x.clamp(0, 1)).all().item<bool>());
    }

    [TestMethod]
    public void SgdMomentumMatchesTorchSharpsSgd() => CompareOptimizers(
        groups => new SgdMomentumOptimizer(groups, 0.05, 0.9),
        (decayed, plain) => optim.SGD(
            [
                new SGD.ParamGroup(decayed, new SGD.Options { LearningRate = 0.05, momentum = 0.9, weight_decay = 1e-3 }),
                new SGD.ParamGroup(plain, new SGD.Options { LearningRate = 0.05, momentum = 0.9, weight_decay = 0 }),
            ],
            0.05,
            0.9));

    [TestMethod]
    public void AdamWMatchesTorchSharpsAdamW() => CompareOptimizers(
        groups => new AdamWOptimizer(groups, 0.05, beta1: 0.9),
        (decayed, plain) => optim.AdamW(
            [
                new AdamW.ParamGroup(decayed, new AdamW.Options { LearningRate = 0.05, beta1 = 0.9, weight_decay = 1e-3 }),
                new AdamW.ParamGroup(plain, new AdamW.Options { LearningRate = 0.05, beta1 = 0.9, weight_decay = 0 }),
            ],
            0.05,
            0.9));

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void AnOptimizerRestoredFromItsCheckpointStepsAsTheOriginal(bool adam)
    {
        using var scope = NewDisposeScope();
        using var folder = new TemporaryFolder();
        manual_seed(7);
        using var first = nn.Linear(4, 3);
        using var second = nn.Linear(4, 3);
        second.load_state_dict(first.state_dict());
        TrainingOptimizer Make(nn.Module module) => adam
            ? new AdamWOptimizer([new([.. module.parameters()], 1e-3)], 0.01, beta1: 0.9)
            : new SgdMomentumOptimizer([new([.. module.parameters()], 1e-3)], 0.01, 0.9);
        using var original = Make(first);
        var inputs = Enumerable.Range(0, 6).Select(_ => randn(5, 4)).ToList();
        void Step(nn.Module<Tensor, Tensor> module, TrainingOptimizer optimizer, Tensor input)
        {
            optimizer.ZeroGrad();
            module.forward(input).square().sum().backward();
            optimizer.Step();
        }

        inputs.Take(3).ToList().ForEach(input => Step(first, original, input));
        var writer = new CheckpointWriter();
        original.Write(writer);
        var path = Path.Combine(folder.Path, "optimizer.ckpt");
        writer.Save(path);
        using (no_grad())
        {
            foreach (var (mine, theirs) in second.parameters().Zip(first.parameters()))
            {
                mine.copy_(theirs);
            }
        }

        using var restored = Make(second);
        restored.Restore(CheckpointReader.Open(path));
        inputs.Skip(3).ToList().ForEach(input => { Step(first, original, input); Step(second, restored, input); });

        AssertClose(second.weight, first.weight, "weight");
    }

    /// <summary>Two copies of a small network, one stepped by ours and one by TorchSharp's, 12 steps with a changing learning rate.</summary>
    private static void CompareOptimizers(Func<IReadOnlyList<ParameterGroup>, TrainingOptimizer> ours, Func<List<Parameter>, List<Parameter>, optim.Optimizer> theirs)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var first = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3));
        using var second = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 3));
        second.load_state_dict(first.state_dict());
        using var optimizer = ours([new([.. Matrices(first)], 1e-3), new([.. Vectors(first)], 0)]);
        using var reference = theirs([.. Matrices(second)], [.. Vectors(second)]);
        for (var step = 0; step < 12; step++)
        {
            var input = randn(8, 6);
            var target = randn(8, 3);
            var rate = 0.05 * (1 - (step / 12.0));
            optimizer.LearningRate = rate;
            foreach (var group in reference.ParamGroups)
            {
                group.LearningRate = rate;
            }

            optimizer.ZeroGrad();
            nn.functional.mse_loss(first.forward(input), target).backward();
            optimizer.Step();
            reference.zero_grad();
            nn.functional.mse_loss(second.forward(input), target).backward();
            reference.step();
        }

        foreach (var ((name, mine), (_, expected)) in first.named_parameters().Zip(second.named_parameters()))
        {
            AssertClose(mine, expected, name);
        }
    }

    private static IEnumerable<Parameter> Matrices(nn.Module module) => module.parameters().Where(p => p.dim() >= 2);

    private static IEnumerable<Parameter> Vectors(nn.Module module) => module.parameters().Where(p => p.dim() < 2);

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        var difference = (actual - expected).abs().max().item<float>();
        Assert.IsTrue(difference <= Tolerance, $"{what}: max abs difference {difference}");
    }
}
