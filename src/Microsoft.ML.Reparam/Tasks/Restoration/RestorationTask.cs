using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Models;
using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Runtime;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// Image restoration (super-resolution, denoising): an image column of high-quality images, cut into random patches
/// and degraded by the task; a network on one colour signal inside RGB conversions (<see cref="ColorRestorationNet"/>);
/// L1 or L2 and PSNR. The deployed graph reads RGB in [0, 1] and ends in the raw and the clipped RGB output; the stock
/// chain turns the clipped output into an image column.
/// </summary>
internal abstract class RestorationTask(ReparamRestorationOptions options) : ReparamTask
{
    public const string RawOutputName = "ReparamRestorationOutput";
    public const string ImageOutputName = "ReparamRestorationImage";
    public const string ArgbOutputName = "ReparamRestorationArgb";
    public const int DefaultScoringSize = 256;

    /// <summary>Gets the upscale factor (1 for denoising).</summary>
    public abstract int Scale { get; }

    public override IReadOnlyList<string> PortableOutputNames => ["output", "image"];

    /// <summary>Gets the input size of the saved chain.</summary>
    public (int Height, int Width) ScoringSize => (options.ImageHeight ?? DefaultScoringSize, options.ImageWidth ?? DefaultScoringSize);

    /// <summary>Gets how the task is measured by the published protocol.</summary>
    public abstract RestorationProtocol Protocol { get; }

    /// <summary>Checks the options every restoration task has, naming the bad one.</summary>
    public static void Validate(ReparamRestorationOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.OutputColumnName, nameof(options.OutputColumnName));
        if (!Enum.IsDefined(options.Color) || !Enum.IsDefined(options.Loss))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Unknown {nameof(options.Color)} ({options.Color}) or {nameof(options.Loss)} ({options.Loss}).");
        }

        Require(options.Width >= 1, nameof(options.Width), options.Width, "at least 1");
        Require(options.PatchSize >= 4, nameof(options.PatchSize), options.PatchSize, "at least 4 pixels");
        Require(options.PatchesPerImage >= 1, nameof(options.PatchesPerImage), options.PatchesPerImage, "at least 1");
        Require((options.ImageHeight, options.ImageWidth) is (null, null) or ( >= 1, >= 1), "ImageHeight/ImageWidth", $"{options.ImageHeight?.ToString() ?? "null"}x{options.ImageWidth?.ToString() ?? "null"}", "both positive or both null (the saved chain's input size)");
        Require(options.RandomCropPadding == 0, nameof(options.RandomCropPadding), options.RandomCropPadding, "0: restoration patches are cut from the images, never padded");
        Require(options.ColorChannels == 3, nameof(options.ColorChannels), options.ColorChannels, $"3: a restorer reads and writes RGB; {nameof(options.Color)} chooses the signal it restores");
        Require(options.InputMean.Length == 0 && options.InputStd.Length == 0, nameof(options.InputMean), "set", "empty: a restorer reads pixels in [0, 1] and writes them back");
    }

    private protected static void Require(bool condition, string name, object? value, string rule)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {value} must be {rule}.");
        }
    }

    /// <summary>Returns the low-quality image the network restores, from a ground truth (whose size is a multiple of <see cref="Scale"/>).</summary>
    public abstract RgbImage Degrade(RgbImage truth);

    /// <summary>Builds the network on the colour signal (1 or 3 channels).</summary>
    private protected abstract nn.Module<Tensor, Tensor> Body(int channels);

    public override ITargetReader TargetReader(DataViewSchema schema) =>
        throw new NotSupportedException($"{Name} makes its targets from the image column ({nameof(ReadImages)}).");

    public override ImageInput ReadImages(MLContext mlContext, IDataView input, ReparamTrainerOptions trainerOptions) =>
        RestorationPatches.Read(mlContext, input, options, this);

    public override nn.Module<Tensor, Tensor> CreateNetwork(ImageTensorDataset input) =>
        new ColorRestorationNet(Body(options.Color == RestorationColor.Rgb ? 3 : 1), options.Color, Scale);

    public override PlainValue[] Head(GraphBuilder graph, PlainValue output) => [output, graph.Add(new PlainClip(0, 1), output)];

    public override PlainGraph ScoringGraph(PlainGraph graph) => graph.AtSize(
        ScoringSize.Height,
        ScoringSize.Width,
        (builder, outputs) => [.. outputs, builder.Add(new PlainConcat(), builder.Add(ColorOps.OpaqueAlpha, outputs[1]), outputs[1])]);

    public override OnnxExportOptions ScoringExportOptions(PlainGraph graph, string pixelColumn) => new()
    {
        InputName = pixelColumn,
        OutputNames = [RawOutputName, ImageOutputName, ArgbOutputName],
        BatchSize = 1,
        FixedSize = true,
    };

    public override TransformerChain<ITransformer> ScoringChain(IHostEnvironment environment, MLContext mlContext, IDataView data, ITransformer preprocessing, string onnxPath) =>
        RestorationScoring.Create(mlContext, data, preprocessing, onnxPath, options.OutputColumnName, ScoringSize.Height * Scale, ScoringSize.Width * Scale);

    public override SchemaShape OutputSchema(SchemaShape inputSchema)
    {
        if (!inputSchema.Any(c => c.Name == options.ImageColumnName))
        {
            throw new ArgumentException($"Image column '{options.ImageColumnName}' was not found in the input schema.", nameof(inputSchema));
        }

        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[options.OutputColumnName] = OutputShape.Column(options.OutputColumnName, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(ScoringSize.Height * Scale, ScoringSize.Width * Scale), isKey: false);
        return new SchemaShape(columns.Values);
    }
}

/// <summary>Super-resolution by 2, 3 or 4: MATLAB-bicubic low-resolution inputs, the ECBSR layout.</summary>
internal sealed class SuperResolutionTask(ReparamSuperResolutionOptions options) : RestorationTask(options)
{
    public override string Name => "ReparamSuperResolution";

    public override int Scale => options.Scale;

    public override ITrainingObjective Objective => new RestorationObjective(options.Color, options.Loss, null);

    public override RestorationProtocol Protocol => new(options.Scale, 0, RestorationColor.Luma, options.Color);

    public static void Validate(ReparamSuperResolutionOptions options)
    {
        Validate((ReparamRestorationOptions)options);
        Require(options.Scale is 2 or 3 or 4, nameof(options.Scale), options.Scale, "2, 3 or 4");
        Require(options.Depth >= 0, nameof(options.Depth), options.Depth, "0 or more");
    }

    public override RgbImage Degrade(RgbImage truth) => Bicubic.Resize(truth, options.Scale, shrink: true);

    public override string Describe(ImageTensorDataset data) => $"x{options.Scale} super-resolution of {options.Color}, {data.Width}-pixel low-resolution patches";

    private protected override nn.Module<Tensor, Tensor> Body(int channels) => new SuperResolutionNet(channels, options.Scale, options.Depth, options.Width, options.BlockSpec);
}

/// <summary>Denoising of additive Gaussian noise: a DnCNN-style residual network.</summary>
internal sealed class DenoisingTask(ReparamDenoisingOptions options) : RestorationTask(options)
{
    public override string Name => "ReparamDenoising";

    public override int Scale => 1;

    public override ITrainingObjective Objective => new RestorationObjective(options.Color, options.Loss, (options.NoiseLevel, options.MaxNoiseLevel ?? options.NoiseLevel));

    public override RestorationProtocol Protocol => new(1, options.NoiseLevel, options.Color, options.Color);

    public static void Validate(ReparamDenoisingOptions options)
    {
        Validate((ReparamRestorationOptions)options);
        Require(float.IsFinite(options.NoiseLevel) && options.NoiseLevel > 0, nameof(options.NoiseLevel), options.NoiseLevel, "a positive σ on the 0–255 scale");
        Require(options.MaxNoiseLevel is null || (float.IsFinite(options.MaxNoiseLevel.Value) && options.MaxNoiseLevel >= options.NoiseLevel), nameof(options.MaxNoiseLevel), options.MaxNoiseLevel, $"null or at least {nameof(options.NoiseLevel)} ({options.NoiseLevel})");
        Require(options.Depth >= 1, nameof(options.Depth), options.Depth, "at least 1");
    }

    public override RgbImage Degrade(RgbImage truth) => truth; // the noise is drawn per batch (RestorationObjective)

    public override string Describe(ImageTensorDataset data) =>
        $"denoising of {options.Color} at sigma {(options.MaxNoiseLevel is { } max ? $"{options.NoiseLevel}-{max}" : options.NoiseLevel)}, {data.Width}-pixel patches";

    private protected override nn.Module<Tensor, Tensor> Body(int channels) => new DenoisingNet(channels, options.Depth, options.Width, options.BlockSpec);
}
