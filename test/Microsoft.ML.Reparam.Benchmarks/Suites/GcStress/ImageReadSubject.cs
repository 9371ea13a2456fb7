using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Tasks.Classification;

namespace Microsoft.ML.Reparam.Benchmarks.Suites.GcStress;

/// <summary>
/// The image path of a fit, with no TorchSharp in it: each call reads embedded Fashion-MNIST images made by ML.NET's
/// <c>ConvertToImage</c> (SkiaSharp bitmaps, one per row, left to their finalizers) through the fit's reader (the
/// caller's images copied, two resizes, grayscale or colour, pixel extraction), then through the saved scoring
/// preprocessing that reads the caller's images themselves. Both pixel arrays must equal those read without pressure.
/// </summary>
internal sealed class ImageReadSubject : IProbeSubject
{
    private readonly MLContext _mlContext = new(1);
    private readonly IDataView _view;
    private readonly ReparamTrainerOptions _options;
    private readonly float[] _expectedTraining;
    private readonly float[] _expectedScoring;

    public ImageReadSubject(int images, int colorChannels)
    {
        var view = FashionMnist.LoadEmbedded().Train.Take(images).ToDataView(_mlContext);
        _view = _mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
        _options = new ReparamConvTrainerOptions { ColorChannels = colorChannels };
        (_expectedTraining, _expectedScoring) = Read();
    }

    public bool Call()
    {
        var (training, scoring) = Read();
        return training.AsSpan().SequenceEqual(_expectedTraining) && scoring.AsSpan().SequenceEqual(_expectedScoring);
    }

    public double[] State() => [];

    public void Dispose()
    {
    }

    private (float[] Training, float[] Scoring) Read()
    {
        var input = ImageColumnReader.Read(_mlContext, _view, _options, new ClassLabelReader("Label", 10));
        var scored = input.Preprocessing.Transform(_view);
        var pixels = ReadVectors(scored, input.PixelColumnName);
        return (input.Data.Pixels, pixels);
    }

    /// <summary>Returns the float vectors of <paramref name="column"/>, row after row, as one array.</summary>
    public static float[] ReadVectors(IDataView view, string column)
    {
        var values = new List<float>();
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            values.AddRange(buffer.DenseValues());
        }

        return [.. values];
    }
}
