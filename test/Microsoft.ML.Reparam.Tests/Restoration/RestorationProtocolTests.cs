using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Tasks.Restoration;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Restoration;

[TestClass]
public sealed class RestorationProtocolTests
{
    [TestMethod]
    public void BicubicHalvingHasMatlabsAntialiasedKernel()
    {
        // MATLAB's imresize(x, 0.5, 'bicubic') weights: Keys a = −0.5 stretched ×2, eight taps.
        double[] expected = [-0.01171875, -0.03515625, 0.11328125, 0.43359375, 0.43359375, 0.11328125, -0.03515625, -0.01171875];
        for (var tap = 0; tap < 8; tap++)
        {
            var impulse = new double[32]; // two equal rows of 16: the vertical weights sum to one
            impulse[7 + tap] = impulse[16 + 7 + tap] = 1; // output 5 is centred at input 10.5 and reads inputs 7..14
            var row = Bicubic.Downscale(impulse, 2, 16, 2);
            Assert.AreEqual(expected[tap], row[5], 1e-12, $"tap {tap}");
        }
    }

    [TestMethod]
    public void BicubicKeepsConstantsAndMirrorsAtTheBorder()
    {
        var constant = Enumerable.Repeat(77.0, 12 * 8).ToArray();
        var shrunk = Bicubic.Downscale(constant, 12, 8, 4);
        Assert.IsTrue(shrunk.All(v => Math.Abs(v - 77) < 1e-9), string.Join(", ", shrunk));
        Assert.IsTrue(Bicubic.Upscale(constant, 12, 8, 3).All(v => Math.Abs(v - 77) < 1e-9));
        // A ramp mirrored at the left border: the first output of a ×2 halving reads inputs −3..4 → 2, 1, 0, 0, 1, 2, 3, 4.
        var ramp = Enumerable.Range(0, 16).Select(i => (double)(i % 8)).ToArray(); // two equal rows
        double[] weights = [-0.01171875, -0.03515625, 0.11328125, 0.43359375, 0.43359375, 0.11328125, -0.03515625, -0.01171875];
        double[] mirrored = [2, 1, 0, 0, 1, 2, 3, 4];
        Assert.AreEqual(weights.Zip(mirrored, (w, v) => w * v).Sum(), Bicubic.Downscale(ramp, 2, 8, 2)[0], 1e-12);
    }

    [TestMethod]
    public void CubicUpsamplingEvaluatesAsOnnxResizeAndAsMatlabInside()
    {
        foreach (var (factor, height, width) in new[] { (2, 5, 7), (3, 6, 4), (4, 9, 9) })
        {
            using var scope = NewDisposeScope();
            manual_seed(factor);
            var input = rand(1, 2, height, width);
            var op = new PlainCubicUpsample(factor);
            var graph = new GraphBuilder(new PlainShape(2, height, width));
            var built = graph.Build(graph.Add(op, graph.Input));
            var evaluated = op.Evaluate([input], PlainWeights.None);
            using var runner = new OnnxModelRunner(OnnxExporter.Export(built, new OnnxExportOptions()));
            var onnx = runner.Run(input.data<float>().ToArray(), [1, 2, height, width]);
            var values = evaluated.data<float>().ToArray();
            Assert.IsLessThanOrEqualTo(1e-5, values.Zip(onnx, (a, b) => Math.Abs(a - b)).Max(), $"x{factor}");

            // MATLAB mirrors where this repeats the edge; away from the border the two agree.
            var plane = input[0, 0].to(float64).data<double>().ToArray();
            var matlab = Bicubic.Upscale(plane, height, width, factor);
            var (outHeight, outWidth) = (height * factor, width * factor);
            for (var y = 2 * factor; y < outHeight - (2 * factor); y++)
            {
                for (var x = 2 * factor; x < outWidth - (2 * factor); x++)
                {
                    Assert.AreEqual(matlab[(y * outWidth) + x], values[(y * outWidth) + x], 1e-5);
                }
            }
        }
    }

    [TestMethod]
    public void ColourConversionsInvertExactlyAndMatchTheLumaFormula()
    {
        using var scope = NewDisposeScope();
        var rgb = rand(1, 3, 4, 5);
        var weights = new PlainWeights();
        var ycbcr = cat([ColorOps.Luma.Evaluate([rgb], weights), ColorOps.Chroma.Evaluate([rgb], weights)], 1);
        var back = ColorOps.ToRgb.Evaluate([ycbcr], weights);
        Assert.IsLessThanOrEqualTo(1e-5, (back - rgb).abs().max().item<float>());
        var image = new RgbImage(1, 1, [200, 100, 50]);
        var y = ColorOps.Luma.Evaluate([tensor(image.ToPlanar()).reshape(1, 3, 1, 1)], weights).item<float>() * 255;
        Assert.AreEqual(ImageQuality.Luma(image.Pixels)[0], y, 1e-3);
        weights.Dispose();
    }

    [TestMethod]
    public void LumaNoiseMovesLumaBySigmaAndLeavesChromaAlone()
    {
        using var scope = NewDisposeScope();
        var clean = full(1, 3, 64, 64, 0.5f);
        var objective = new RestorationObjective(RestorationColor.Luma, RestorationLoss.L2, (25, 25));
        using var generator = new Generator(1);
        var (noisy, _) = ((Microsoft.ML.Reparam.Training.ITrainingObjective)objective).Prepare(clean, clean, generator);
        var weights = new PlainWeights();
        var lumaNoise = ColorOps.Luma.Evaluate([noisy], weights) - ColorOps.Luma.Evaluate([clean], weights);
        var chromaNoise = ColorOps.Chroma.Evaluate([noisy], weights) - ColorOps.Chroma.Evaluate([clean], weights);
        Assert.AreEqual(25 / 255.0, lumaNoise.std().item<float>(), 0.05 * 25 / 255);
        Assert.IsLessThanOrEqualTo(1e-5, chromaNoise.abs().max().item<float>());
        weights.Dispose();
    }

    [TestMethod]
    public void NoisyInputPsnrIsTwentyPointOneSevenDecibelsAtSigmaTwentyFive()
    {
        var gray = new RgbImage(96, 96, Enumerable.Repeat((byte)128, 96 * 96 * 3).ToArray());
        var protocol = new RestorationProtocol(1, 25, RestorationColor.Gray, RestorationColor.Gray);
        var (_, _, _, noisy) = protocol.Degrade(gray, new Random(5));
        Assert.AreEqual(20 * Math.Log10(255 / 25.0), protocol.Measure(gray, noisy).Psnr, 0.1); // rounding adds 1/12 to the MSE of 625
    }

    [TestMethod]
    public void SeparableSsimEqualsTheWindowedDefinition()
    {
        var random = new Random(3);
        var (height, width, border) = (23, 19, 2);
        var a = Enumerable.Range(0, height * width).Select(_ => random.NextDouble() * 255).ToArray();
        var b = a.Select(v => v + (random.NextDouble() * 40) - 20).ToArray();
        var weights = Enumerable.Range(-5, 11).Select(i => Math.Exp(-(i * i) / 4.5)).ToArray();
        var norm = weights.Sum() * weights.Sum();
        double total = 0;
        var count = 0;
        for (var cy = border + 5; cy < height - border - 5; cy++)
        {
            for (var cx = border + 5; cx < width - border - 5; cx++)
            {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (var dy = -5; dy <= 5; dy++)
                {
                    for (var dx = -5; dx <= 5; dx++)
                    {
                        var w = weights[dy + 5] * weights[dx + 5] / norm;
                        var (p, q) = (a[((cy + dy) * width) + cx + dx], b[((cy + dy) * width) + cx + dx]);
                        (mx, my, xx, yy, xy) = (mx + (w * p), my + (w * q), xx + (w * p * p), yy + (w * q * q), xy + (w * p * q));
                    }
                }

                const double C1 = 6.5025, C2 = 58.5225;
                total += ((2 * mx * my) + C1) * ((2 * (xy - (mx * my))) + C2) / (((mx * mx) + (my * my) + C1) * (xx - (mx * mx) + yy - (my * my) + C2));
                count++;
            }
        }

        Assert.AreEqual(total / count, ImageQuality.Ssim(a, b, height, width, border), 1e-12);
    }

    [TestMethod]
    public void RestorersOfEveryKindStartAsTheirIdentityPath()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var input = rand(2, 1, 6, 7);
        foreach (var spec in Enum.GetValues<BlockKind>().Select(k => k == BlockKind.Nkr ? new BlockSpec(k, Microsoft.ML.Reparam.Blocks.Nkr.KernelGenerator.SelfAttention) : new BlockSpec(k)))
        {
            var kind = spec.Name;
            using var denoiser = new DenoisingNet(1, 2, 4, spec);
            using var upscaler = new SuperResolutionNet(1, 2, 1, 4, spec);
            foreach (var training in new[] { true, false })
            {
                denoiser.train(training);
                upscaler.train(training);
                Assert.AreEqual(0f, (denoiser.forward(input) - input).abs().max().item<float>(), $"{kind} denoiser");
                var nearest = nn.functional.interpolate(input, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
                Assert.AreEqual(0f, (upscaler.forward(input) - nearest).abs().max().item<float>(), $"{kind} upscaler");
            }
        }
    }
}
