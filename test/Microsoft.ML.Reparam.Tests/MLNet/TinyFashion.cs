using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Tests.MLNet;

/// <summary>A few embedded Fashion-MNIST images and trainer options that fit in a second or two.</summary>
internal static class TinyFashion
{
    public static LabeledImages Images(int count) => FashionMnist.LoadEmbedded().Test.Take(count);

    public static ReparamConvTrainerOptions Options() => new()
    {
        StageWidths = [8, 16],
        StageDepths = [1, 1],
        StageStrides = [2, 2],
        Epochs = 2,
        BatchSize = 16,
        ValidationFraction = 0,
        BlockKind = BlockKind.RepVgg,
        InputMean = [0.3f],
        InputStd = [0.35f],
        Seed = 1,
    };

    /// <summary>The embedded images as an IDataView with a key label.</summary>
    public static IDataView KeyedView(MLContext mlContext, LabeledImages images)
    {
        var view = images.ToDataView(mlContext);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }
}
