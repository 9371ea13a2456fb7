using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Blocks.Nkr;
using Microsoft.ML.Reparam.Downsampling;
using Microsoft.ML.Reparam.Folding;
using Microsoft.ML.Reparam.Quantization;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The options every Reparam trainer shares: the image column and size, the block kind and the network's stages, the
/// training schedule and augmentation, learned downsampling, kernel reactivation, the device, and the fit's own fold
/// check. Each task's options add its target columns, outputs and network layout.
/// </summary>
public abstract class ReparamTrainerOptions
{
    /// <summary>Gets or sets the image column: an <c>MLImage</c> column, or a known-size float vector of planar pixels [C, H, W].</summary>
    public string ImageColumnName { get; set; } = "Image";

    /// <summary>Gets or sets the width images are resized to, or null to keep their size (which must then be the same for all images).</summary>
    public int? ImageWidth { get; set; }

    /// <summary>Gets or sets the height images are resized to, or null to keep their size.</summary>
    public int? ImageHeight { get; set; }

    /// <summary>Gets or sets the channels the network sees: 1 (grayscale) or 3 (RGB).</summary>
    public int ColorChannels { get; set; } = 1;

    /// <summary>Gets or sets how each convolution trains; the deployed network is the same plain CNN for every kind.</summary>
    public BlockKind BlockKind { get; set; } = BlockKind.RepVgg;

    /// <summary>Gets or sets the kernel generator network of <see cref="BlockKind.Nkr"/> (required there) or <see cref="BlockKind.Orepa"/> (optional) blocks.</summary>
    public KernelGenerator KernelGenerator { get; set; }

    /// <summary>Gets or sets k, the parallel K×K branches of <see cref="BlockKind.MobileOne"/> blocks.</summary>
    public int MobileOneBranches { get; set; } = 4;

    /// <summary>Gets the block kind with its options.</summary>
    internal BlockSpec BlockSpec => new(BlockKind, KernelGenerator, MobileOneBranches);

    /// <summary>Gets or sets the output channels of each stage.</summary>
    public int[] StageWidths { get; set; } = [32, 64, 128];

    /// <summary>Gets or sets the number of blocks in each stage.</summary>
    public int[] StageDepths { get; set; } = [1, 2, 2];

    /// <summary>Gets or sets the stride of each stage's first block.</summary>
    public int[] StageStrides { get; set; } = [1, 2, 2];

    /// <summary>Gets or sets the kernel size of every block (odd).</summary>
    public int KernelSize { get; set; } = 3;

    /// <summary>Gets or sets the number of epochs.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Gets or sets the batch size.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Gets or sets the optimizer.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.SgdMomentum;

    /// <summary>Gets or sets the peak learning rate of the warm-up + cosine schedule.</summary>
    public double LearningRate { get; set; } = 0.05;

    /// <summary>Gets or sets the momentum (SGD) or β₁ (AdamW).</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Gets or sets the weight decay (not applied to batch-norm parameters and biases).</summary>
    public double WeightDecay { get; set; } = 5e-4;

    /// <summary>Gets or sets the warm-up length in epochs.</summary>
    public double WarmupEpochs { get; set; } = 1;

    /// <summary>Gets or sets the zero padding of random-crop augmentation (0 disables it).</summary>
    public int RandomCropPadding { get; set; }

    /// <summary>Gets or sets a value indicating whether training images are flipped horizontally at random.</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>Gets or sets a value indicating whether training images (and masks) are flipped vertically at random.</summary>
    public bool VerticalFlip { get; set; }

    /// <summary>Gets or sets a value indicating whether square training images (and masks) are turned by random multiples of 90°.</summary>
    public bool Rotate90 { get; set; }

    /// <summary>Gets or sets the fraction of training images held back for validation and best-epoch selection.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>Gets or sets the seed of weights, shuffling, the validation split and augmentation.</summary>
    public int Seed { get; set; }

    /// <summary>Gets or sets the per-channel mean subtracted from pixels scaled to [0, 1] (inside the deployed graph); empty for none.</summary>
    public float[] InputMean { get; set; } = [];

    /// <summary>Gets or sets the per-channel standard deviation pixels are divided by (inside the deployed graph); empty for none.</summary>
    public float[] InputStd { get; set; } = [];

    /// <summary>Gets or sets kernel reactivation (off when null): every E epochs, weak kernels are rescaled to their filter's best kernel's L1 norm.</summary>
    public KernelReactivationOptions? KernelReactivation { get; set; }

    /// <summary>
    /// Gets or sets how stages with stride &gt; 1 downsample: strided convolution (default), fixed spectral pooling, or
    /// DiffStride, whose strides start at <see cref="StageStrides"/> and are learned (docs/diffstride.md).
    /// </summary>
    public DownsamplingKind Downsampling { get; set; } = DownsamplingKind.StridedConvolution;

    /// <summary>Gets or sets λ of the stride complexity regulariser λ·Σ_l Π_{i≤l} 1/(S_h^i·S_w^i); larger values push DiffStride towards larger strides.</summary>
    public double StrideComplexityWeight { get; set; }

    /// <summary>Gets or sets the width R, in frequency bins, of the spectral mask's ramp.</summary>
    public double SpectralSmoothness { get; set; } = 4;

    /// <summary>Gets or sets a value indicating whether each spectral layer learns one stride for both axes instead of one per axis.</summary>
    public bool SharedStride { get; set; }

    /// <summary>Gets or sets the GPU to train on, or null for the MLContext's <c>GpuDeviceId</c>.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Gets or sets whether a missing GPU falls back to the CPU, or null for the MLContext's <c>FallbackToCpu</c>.</summary>
    public bool? FallbackToCpu { get; set; }

    /// <summary>Gets or sets the number of held-back images on which every fit checks its own fold.</summary>
    public int FoldCheckImages { get; set; } = 64;

    /// <summary>Gets or sets the largest relative fold error accepted; a fit whose fold is further off fails.</summary>
    public double FoldTolerance { get; set; } = FoldError.Float32Tolerance;

    /// <summary>
    /// Gets or sets a value indicating whether the fitted transformer keeps the trained (unfolded) network, for
    /// comparisons and fine-tuning; it is disposed with the transformer. Off by default: deployment needs only the fold.
    /// </summary>
    public bool RetainTrainedNetwork { get; set; }

    /// <summary>Gets or sets the receiver of one report per epoch, or null.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Gets or sets the token that cancels training (checked before every batch).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Gets or sets the largest image, in pixels (width × height), the trainer reads; a larger one is refused with an
    /// exception naming its row. Default 100 megapixels.
    /// </summary>
    public long MaxImagePixels { get; set; } = Data.ImageLimit.DefaultMaxPixels;

    /// <summary>
    /// Gets or sets a folder where the fit writes a checkpoint after every epoch (<c>training.ckpt</c>: weights, optimizer,
    /// schedule position, best epoch, strides, reactivations and every random generator's state), or null for none.
    /// A fit started with the same options and data while a checkpoint is there resumes from it and reaches the same
    /// weights as an uninterrupted fit; a checkpoint of other options or data is refused with an
    /// <see cref="InvalidOperationException"/> naming the difference. The file is written atomically and kept after the
    /// fit; delete it to train again from scratch (docs/training.md, "Checkpoints").
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// Gets or sets INT8 deployment (off when null): after the float fold is checked, the deployed graph is quantized
    /// (post-training static, QDQ ONNX: 8-bit weights per output channel, 8-bit activations calibrated on training
    /// images) and the model scores, saves and exports the INT8 network; the fit reports its metric beside the float
    /// network's on the held-back images (<see cref="ReparamTransformer.Quantization"/>, docs/quantization.md).
    /// </summary>
    public QuantizationOptions? Quantization { get; set; }

    /// <summary>
    /// Returns a copy with arrays and collections of its own, which a trainer keeps: changing these options after
    /// creating the trainer reaches neither the trainer nor the model it fits.
    /// </summary>
    internal virtual ReparamTrainerOptions Snapshot()
    {
        var copy = (ReparamTrainerOptions)MemberwiseClone();
        copy.StageWidths = [.. StageWidths];
        copy.StageDepths = [.. StageDepths];
        copy.StageStrides = [.. StageStrides];
        copy.InputMean = [.. InputMean];
        copy.InputStd = [.. InputStd];
        copy.KernelReactivation = KernelReactivation?.Copy();
        copy.Quantization = Quantization?.Copy();
        return copy;
    }
}
