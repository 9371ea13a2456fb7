using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Tasks.Restoration;
using Microsoft.ML.Reparam.Torch;
using TorchSharp;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The fitted restorer (super-resolution or denoising): the folded plain CNN, scored through ONNX Runtime by stock
/// ML.NET transformers for images of the declared input size, whose output column holds the restored images
/// (<see cref="Scale"/> × larger). <see cref="Restore"/> takes an image of any size, whole or in tiles; its
/// <see cref="ReparamTransformer.SaveOnnx"/> model reads RGB in [0, 1] of any height and width ("input" [N, 3, H, W])
/// and outputs "output" (raw) and "image" (clipped to [0, 1]), [N, 3, H·scale, W·scale].
/// </summary>
public sealed class ReparamRestorationTransformer : ReparamTransformer
{
    private readonly RestorationProtocol _protocol;
    private readonly Lazy<OnnxModelRunner> _runner;

    internal ReparamRestorationTransformer(FitResult fit, RestorationTask task)
        : base(fit)
    {
        _protocol = task.Protocol;
        Scale = task.Scale;
        _runner = new Lazy<OnnxModelRunner>(() => new OnnxModelRunner(PortableOnnx));
    }

    /// <summary>Gets the upscale factor (1 for a denoiser).</summary>
    public int Scale { get; }

    /// <summary>Gets the receptive radius in input pixels: the overlap tiles need so that tiled and whole results agree.</summary>
    public int ReceptiveRadius => Graph.ReceptiveRadius ?? throw new InvalidOperationException("The deployed graph has an operation that is not local.");

    /// <summary>
    /// Restores one image of any size: the deployed network runs on the whole image, or, when
    /// <paramref name="tileSize"/> is positive, on tiles of that many input pixels a side, each read with a margin of
    /// <see cref="ReceptiveRadius"/> pixels, which gives the whole-image result (up to float rounding) in bounded memory.
    /// The caller's image is not disposed; the result is a new image the caller owns.
    /// </summary>
    /// <param name="image">The image to restore.</param>
    /// <param name="tileSize">The side of a tile in input pixels, or 0 for the whole image at once.</param>
    /// <returns>The restored image, <see cref="Scale"/> × the input's size.</returns>
    public MLImage Restore(MLImage image, int tileSize = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegative(tileSize);
        ThrowIfDisposed();
        var rgb = RgbImage.From(image);
        return RgbImage.FromPlanar(RestorePlanar(rgb.ToPlanar(), rgb.Height, rgb.Width, tileSize), rgb.Width * Scale, rgb.Height * Scale).ToMLImage();
    }

    /// <summary>
    /// Measures the restorer on ground-truth images by the published protocol: each image is degraded as in training
    /// (super-resolution: cropped to a multiple of the scale and bicubic-downscaled to 8 bits; denoising: Gaussian noise
    /// of the trained σ, seeded, not rounded), restored whole, rounded to 8 bits and compared with the ground truth
    /// (luma with a <c>scale</c>-pixel border cropped, or the denoiser's signal), beside the baseline.
    /// </summary>
    /// <param name="data">Rows with the image column the trainer was fitted on, holding ground-truth images.</param>
    /// <param name="seed">Seeds the noise of a denoiser's inputs.</param>
    /// <param name="noiseLevel">The σ a denoiser is measured at (a blind denoiser at several), or null for the trained σ (the lower end of a range).</param>
    /// <returns>PSNR and SSIM of the restorer and of the baseline.</returns>
    public RestorationMetrics Evaluate(IDataView data, int seed = 0, float? noiseLevel = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ThrowIfDisposed();
        return RestorationEvaluation.Measure(RestorePlanar, RestorationPatches.ReadImages(data, ImageColumnName, "evaluation data"), ProtocolAt(noiseLevel), seed, ImageColumnName);
    }

    /// <summary>
    /// Degrades one ground-truth image as <see cref="Evaluate"/> does and restores it, for a look at the result: the
    /// degraded input (rounded to 8 bits), the baseline's result and the model's, all new images the caller owns.
    /// </summary>
    /// <param name="groundTruth">The ground truth; cropped to a multiple of <see cref="Scale"/>, not disposed.</param>
    /// <param name="seed">Seeds a denoiser's noise.</param>
    /// <returns>The three images.</returns>
    public RestorationComparison Compare(MLImage groundTruth, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ThrowIfDisposed();
        var truth = RgbImage.From(groundTruth).CropToMultiple(Scale);
        if (truth.Width == 0 || truth.Height == 0)
        {
            throw new ArgumentException($"A {groundTruth.Width}x{groundTruth.Height} image is smaller than the scale {Scale}.", nameof(groundTruth));
        }

        var (input, width, height, baseline) = _protocol.Degrade(truth, new Random(seed));
        var restored = RgbImage.FromPlanar(RestorePlanar(input, height, width), truth.Width, truth.Height);
        return new RestorationComparison(RgbImage.FromPlanar(input, width, height).ToMLImage(), baseline.ToMLImage(), restored.ToMLImage());
    }

    /// <summary>
    /// Measures the trained (unfolded) network the way <see cref="Evaluate"/> measures the deployed one — same inputs,
    /// same noise, same rounding — so the two can be compared. Needs <see cref="ReparamTrainerOptions.RetainTrainedNetwork"/>.
    /// </summary>
    /// <param name="data">Rows with the image column the trainer was fitted on, holding ground-truth images.</param>
    /// <param name="seed">Seeds the noise of a denoiser's inputs.</param>
    /// <param name="noiseLevel">The σ a denoiser is measured at, or null for the trained σ.</param>
    /// <returns>PSNR and SSIM of the trained network and of the baseline.</returns>
    /// <exception cref="InvalidOperationException">The trained network was not retained.</exception>
    public RestorationMetrics EvaluateTrainedNetwork(IDataView data, int seed = 0, float? noiseLevel = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var network = TrainedNetwork ?? throw new InvalidOperationException($"The trained network was not retained; set {nameof(ReparamTrainerOptions.RetainTrainedNetwork)} to evaluate it.");
        float[] Run(float[] planar, int height, int width, int tileSize)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            network.eval();
            return network.forward(torch.tensor(planar).reshape(1, 3, height, width)).Clamped(0, 1).data<float>().ToArray();
        }

        return RestorationEvaluation.Measure(Run, RestorationPatches.ReadImages(data, ImageColumnName, "evaluation data"), ProtocolAt(noiseLevel), seed, ImageColumnName);
    }

    private RestorationProtocol ProtocolAt(float? noiseLevel) => noiseLevel switch
    {
        null => _protocol,
        _ when Scale > 1 => throw new ArgumentException("A noise level applies to a denoiser, not to super-resolution.", nameof(noiseLevel)),
        > 0 when float.IsFinite(noiseLevel.Value) => _protocol with { NoiseLevel = noiseLevel.Value },
        _ => throw new ArgumentOutOfRangeException(nameof(noiseLevel), noiseLevel, "The noise level must be a positive σ on the 0–255 scale."),
    };

    /// <summary>Runs the deployed network on planar RGB in [0, 1] ([3, H, W]) and returns the clipped output.</summary>
    internal float[] RestorePlanar(float[] planar, int height, int width, int tileSize = 0)
    {
        float[] Run(float[] input, int h, int w) => _runner.Value.Run(input, [1, 3, h, w], "image");
        return tileSize <= 0 || tileSize >= Math.Max(height, width)
            ? Run(planar, height, width)
            : ImageTiler.Run(Run, planar, 3, height, width, Scale, tileSize, ReceptiveRadius);
    }

    private protected override void DisposeResources()
    {
        if (_runner.IsValueCreated)
        {
            _runner.Value.Dispose();
        }
    }
}
