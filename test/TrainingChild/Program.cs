using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Blocks;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Reactivation;

// Usage: TrainingChild CHECKPOINT_DIR EPOCHS SEED [BLOCK_KIND]
// Fits a small classifier on 1,024 embedded Fashion-MNIST images with a checkpoint after every epoch (resuming from one
// that is there), printing "epoch N SECONDS" after each epoch's checkpoint is written and "done" at the end; a
// parent kills it at a moment of its choosing and starts it again.
if (args.Length is < 3 or > 4)
{
    Console.Error.WriteLine("usage: TrainingChild CHECKPOINT_DIR EPOCHS SEED [BLOCK_KIND]");
    return 2;
}

var mlContext = new MLContext(1);
var (train, _) = FashionMnist.LoadEmbedded();
var images = mlContext.Data.TakeRows(train.ToDataView(mlContext), 1024);
var data = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(images).Transform(images);
var options = new ReparamConvTrainerOptions
{
    CheckpointDirectory = args[0],
    Epochs = int.Parse(args[1], CultureInfo.InvariantCulture),
    Seed = int.Parse(args[2], CultureInfo.InvariantCulture),
    BlockKind = args.Length > 3 ? Enum.Parse<BlockKind>(args[3]) : BlockKind.RepVgg,
    StageWidths = [8, 16],
    StageDepths = [1, 1],
    StageStrides = [1, 2],
    BatchSize = 32,
    RandomCropPadding = 2,
    HorizontalFlip = true,
    KernelReactivation = new KernelReactivationOptions { Interval = 1 },
    FoldCheckImages = 8,
    Progress = new Progress(),
};
using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data);
Console.WriteLine("done");
return 0;

internal sealed class Progress : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch} {value.Elapsed.TotalSeconds:F3}"));
}
