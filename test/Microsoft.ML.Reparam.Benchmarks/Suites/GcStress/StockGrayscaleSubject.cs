using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// ML.NET's own <c>ConvertToGrayscale</c> with no library code: each call reads embedded Fashion-MNIST images made by
/// <c>ConvertToImage</c> through ML.NET's grayscale and pixel extraction; the pixels must equal those read without
/// pressure. The library no longer uses this transform (its <c>MLImage.CloneWithGrayscale</c> leaves a SkiaSharp bitmap
/// to the finalizer while the bitmap's constructor is still in native code); the probe shows why.
/// </summary>
internal sealed class StockGrayscaleSubject : IProbeSubject
{
    private readonly IDataView _pixels;
    private readonly float[] _expected;

    public StockGrayscaleSubject(int images)
    {
        var mlContext = new MLContext(1);
        var view = FashionMnist.LoadEmbedded().Train.Take(images).ToDataView(mlContext);
        _pixels = mlContext.Transforms.ConvertToGrayscale("Gray", "Image")
            .Append(mlContext.Transforms.ExtractPixels("Pixels", "Gray", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Fit(view).Transform(view);
        _expected = Read();
    }

    public bool Call() => Read().AsSpan().SequenceEqual(_expected);

    public double[] State() => [];

    public void Dispose()
    {
    }

    private float[] Read() => ImageReadSubject.ReadVectors(_pixels, "Pixels");
}
