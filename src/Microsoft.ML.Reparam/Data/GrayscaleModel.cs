using Microsoft.ML.Reparam.Onnx;
using Microsoft.ML.Reparam.Plain;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// The grayscale step of the image preprocessing, as a small ONNX model that ML.NET's stock ONNX transformer applies to
/// the extracted RGB pixels: gray = 0.3·R + 0.59·G + 0.11·B, the weights of ML.NET's own <c>ConvertToGrayscale</c>,
/// computed in float as R + 0.59·(G − R) + 0.11·(B − R) so that a gray pixel (R = G = B) comes out exactly as it went
/// in. ML.NET's transform is not used: <c>MLImage.CloneWithGrayscale</c>
/// allocates a SkiaSharp bitmap it never uses, which the finalizer can free while its constructor is still in native
/// code, corrupting the native heap under collector pressure (docs/training.md, "Native calls").
/// </summary>
internal static class GrayscaleModel
{
    /// <summary>The column of extracted RGB pixels the model reads.</summary>
    public const string RgbColumnName = "ReparamRgbPixels";

    /// <summary>[R, G − R, B − R] from [R, G, B]: a 1×1 convolution, 3 → 3.</summary>
    private static readonly float[] Differences = [1, 0, 0, -1, 1, 0, -1, 0, 1];

    /// <summary>R + 0.59·(G − R) + 0.11·(B − R): a 1×1 convolution, 3 → 1.</summary>
    private static readonly float[] Weights = [1, 0.59f, 0.11f];
    private static readonly Lock Writing = new();

    /// <summary>Returns the path of the model for <paramref name="height"/>×<paramref name="width"/> images, writing it into the temporary folder when it is missing or differs.</summary>
    public static string FileFor(int height, int width)
    {
        var bytes = Bytes(height, width);
        var path = Path.Combine(Path.GetTempPath(), $"reparam-grayscale-{height}x{width}.onnx");
        lock (Writing)
        {
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                AtomicFile.Write(path, bytes);
            }
        }

        return path;
    }

    /// <summary>Returns the model for one image of <paramref name="height"/>×<paramref name="width"/>: two 1×1 convolutions, 3 channels to 1.</summary>
    internal static byte[] Bytes(int height, int width)
    {
        var builder = new GraphBuilder(new PlainShape(3, height, width));
        var differences = builder.Add(new PlainConv(Differences, [0f, 0f, 0f], 3, 3, 1), builder.Input);
        var gray = builder.Add(new PlainConv(Weights, [0f], 1, 3, 1), differences);
        var options = new OnnxExportOptions { InputName = RgbColumnName, OutputNames = [ImageColumnReader.PixelColumnName], BatchSize = 1, FixedSize = true };
        return OnnxExporter.Export(builder.Build(gray), options);
    }
}
