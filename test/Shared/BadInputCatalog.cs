using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam.Robustness;

/// <summary>
/// The catalogue of bad inputs (issue #15): each case feeds one malformed thing — data, option, file, folder — to a
/// trainer, transformer or loader, and names the exception and the text that must come back. Shared by the tests and
/// the <c>robustness</c> benchmark.
/// </summary>
internal static partial class BadInputCatalog
{
    private static readonly MLContext _mlContext = new(1);

    public static IReadOnlyList<BadInputCase> All { get; } = [.. ClassificationData(), .. TrainerOptions(), .. Checkpoints(), .. ModelFiles(), .. Segmentation(), .. Restoration()];

    private static IEnumerable<BadInputCase> ClassificationData()
    {
        yield return Case<ArgumentException>("classification", "missing image column", "Image column 'Picture' was not found", _ => FitClassifier(Pixels([0, 1]), o => o.ImageColumnName = "Picture"));
        yield return Case<ArgumentException>("classification", "image column of text", "Image column 'Pixels' has type String", _ => FitClassifier(_mlContext.Data.LoadFromEnumerable([new TextRow { Pixels = "x", Label = 1 }, new TextRow { Pixels = "y", Label = 2 }], KeySchema<TextRow>())));
        yield return Case<ArgumentException>("classification", "pixel vector longer than the declared size", "Image column 'Pixels' has 16 values per row but ColorChannels x ImageHeight x ImageWidth = 1x4x5 = 20", _ => FitClassifier(Pixels([0, 1]), o => o.ImageWidth = 5));
        yield return Case<ArgumentException>("classification", "label of text, not a key", "Label column 'Label' has type String; expected a key type", _ => FitClassifier(_mlContext.Data.LoadFromEnumerable([new TextLabelRow { Label = "a" }, new TextLabelRow { Label = "b" }])));
        yield return Case<ArgumentException>("classification", "key label with one value", "Label column 'Label' is a key with 1 value(s)", _ => FitClassifier(Pixels([0, 0], classCount: 1)));
        yield return Case<ArgumentException>("classification", "key values that disagree with the key count", "Label column 'Label': its key type has 3 values but its key-value annotation lists 2", _ => FitClassifier(PixelsWithKeyValues()));
        yield return Case<ArgumentException>("classification", "data of one class", "Label column 'Label': all 4 rows have the same class", _ => FitClassifier(Pixels([0, 0, 0, 0])));
        yield return Case<ArgumentException>("classification", "no rows", "The training data has no rows", _ => FitClassifier(Pixels([])));
        yield return Case<ArgumentException>("classification", "NaN pixel", "row 1", _ => FitClassifier(Pixels([0, 1, 0, 1], (row, i) => row == 1 && i == 5 ? float.NaN : 0.5f)));
        yield return Case<ArgumentException>("classification", "infinite pixel", "row 2", _ => FitClassifier(Pixels([0, 1, 0, 1], (row, i) => row == 2 ? float.PositiveInfinity : 0.5f)));
        yield return Case<ArgumentException>("classification", "negative infinite pixel", "row 3", _ => FitClassifier(Pixels([0, 1, 0, 1], (row, i) => row == 3 && i == 0 ? float.NegativeInfinity : 0.5f)));
        yield return Case<ArgumentException>("classification", "missing label (key 0)", "Label column 'Label': row 1 has a missing label", _ => FitClassifier(Pixels([0, -1, 0, 1])));
        yield return Case<ArgumentException>("classification", "images of two sizes without a resize", "Image column 'Image': row 2 is 5x4 but row 0 is 4x4", _ => FitClassifier(Images((4, 4), (4, 4), (5, 4)), Images));
        yield return Case<ArgumentException>("classification", "row without an image", "Image column 'Image': row 1 has no image", _ => FitClassifier(Images((4, 4), (0, 0), (4, 4)), Images));
        yield return Case<ArgumentException>("classification", "image above MaxImagePixels", "Image column 'Image': row 1 is 300x200 = 60000 pixels, more than MaxImagePixels 50000", _ => FitClassifier(Images((4, 4), (300, 200)), o => { Images(o); o.MaxImagePixels = 50_000; }));
        yield return Case<ArgumentException>("classification", "empty (0-byte) image file", "Image column 'Image': row 2 cannot be read", folder => FitClassifier(ImageFiles(folder, "empty.png", []), Images));
        yield return Case<ArgumentException>("classification", "image file that is not an image", "Image column 'Image': row 2 cannot be read", folder => FitClassifier(ImageFiles(folder, "not-an-image.png", [.. "GIF89a? no"u8]), Images));
        yield return Case<ArgumentException>("classification", "PNG file whose header declares 0x0 pixels", "Image column 'Image': row 2 cannot be read", folder => FitClassifier(ImageFiles(folder, "zero-by-zero.png", ZeroByZeroPng()), Images));
    }

    private static IEnumerable<BadInputCase> TrainerOptions()
    {
        yield return Case<ArgumentOutOfRangeException>("options", "negative epochs", "Epochs = -1", _ => FitClassifier(Pixels([0, 1]), o => o.Epochs = -1));
        yield return Case<ArgumentOutOfRangeException>("options", "zero batch size", "BatchSize = 0", _ => FitClassifier(Pixels([0, 1]), o => o.BatchSize = 0));
        yield return Case<ArgumentException>("options", "stage widths that do not match the depths", "StageWidths", _ => FitClassifier(Pixels([0, 1]), o => o.StageWidths = [4, 8]));
        yield return Case<ArgumentException>("options", "stage strides that do not match the depths", "StageStrides", _ => FitClassifier(Pixels([0, 1]), o => o.StageStrides = [1, 2]));
        yield return Case<ArgumentOutOfRangeException>("options", "even kernel size", "The kernel size must be odd", _ => FitClassifier(Pixels([0, 1]), o => o.KernelSize = 4));
        yield return Case<ArgumentOutOfRangeException>("options", "NaN learning rate", "LearningRate = NaN", _ => FitClassifier(Pixels([0, 1]), o => o.LearningRate = double.NaN));
        yield return Case<ArgumentOutOfRangeException>("options", "momentum of 1", "Momentum = 1", _ => FitClassifier(Pixels([0, 1]), o => o.Momentum = 1));
        yield return Case<ArgumentOutOfRangeException>("options", "negative weight decay", "WeightDecay = -1", _ => FitClassifier(Pixels([0, 1]), o => o.WeightDecay = -1));
        yield return Case<ArgumentOutOfRangeException>("options", "validation fraction of 1", "ValidationFraction = 1", _ => FitClassifier(Pixels([0, 1]), o => o.ValidationFraction = 1));
        yield return Case<ArgumentOutOfRangeException>("options", "no fold-check image", "FoldCheckImages must be at least 1", _ => FitClassifier(Pixels([0, 1]), o => o.FoldCheckImages = 0));
        yield return Case<ArgumentOutOfRangeException>("options", "two colour channels", "ColorChannels must be 1 (grayscale) or 3 (RGB)", _ => FitClassifier(Pixels([0, 1]), o => o.ColorChannels = 2));
        yield return Case<ArgumentException>("options", "NKR without a kernel generator", "BlockKind.Nkr needs a kernel generator", _ => FitClassifier(Pixels([0, 1]), o => o.BlockKind = BlockKind.Nkr));
        yield return Case<ArgumentException>("options", "image width without a height", "Set both ImageWidth and ImageHeight", _ => FitClassifier(Images((4, 4), (4, 4)), o => { Images(o); o.ImageWidth = 4; }));
        yield return Case<ArgumentOutOfRangeException>("options", "MaxImagePixels of zero", "MaxImagePixels", _ => FitClassifier(Pixels([0, 1]), o => o.MaxImagePixels = 0));
        yield return Case<ArgumentOutOfRangeException>("options", "INT8 with no calibration image", "CalibrationImages must be at least 1", _ => FitClassifier(Pixels([0, 1]), o => o.Quantization = new() { CalibrationImages = 0 }));
        yield return Case<ArgumentOutOfRangeException>("options", "INT8 percentile below the median", "Percentile must be in (50, 100]", _ => FitClassifier(Pixels([0, 1]), o => o.Quantization = new() { Percentile = 40 }));
    }

    private static IEnumerable<BadInputCase> Checkpoints()
    {
        yield return Case<InvalidDataException>("checkpoint", "empty checkpoint file", "it is empty", folder => FitWithCheckpoint(folder, _ => []));
        yield return Case<InvalidDataException>("checkpoint", "truncated checkpoint file", "is truncated", folder => FitWithCheckpoint(folder, bytes => bytes[..(bytes.Length / 2)]));
        yield return Case<InvalidDataException>("checkpoint", "corrupted checkpoint file", "does not match its checksum", folder => FitWithCheckpoint(folder, bytes => Flip(bytes, bytes.Length - 100)));
        yield return Case<InvalidDataException>("checkpoint", "a .zip where the checkpoint should be", "not a Microsoft.ML.Reparam checkpoint", folder => FitWithCheckpoint(folder, _ => File.ReadAllBytes(SavedZip(folder))));
        yield return Case<InvalidOperationException>("checkpoint", "checkpoint of another block kind", "BlockKind is RepVgg there, Dbb here", folder => FitWithCheckpoint(folder, bytes => bytes, o => o.BlockKind = BlockKind.Dbb));
        yield return Case<IOException>("checkpoint", "checkpoint folder in use by another fit", "is in use by another fit", folder => FitWhileLocked(folder));
        yield return Case<IOException>("checkpoint", "checkpoint folder inside a file", "CheckpointDirectory", folder => FitClassifier(Pixels([0, 1, 0, 1]), o => o.CheckpointDirectory = Path.Combine(AFile(folder), "checkpoints")));
    }

    private static IEnumerable<BadInputCase> ModelFiles()
    {
        yield return Case<InvalidDataException>("model file", "empty .zip", "empty.zip", folder => LoadZip(Write(folder, "empty.zip", [])));
        yield return Case<InvalidDataException>("model file", "truncated .zip", "truncated.zip", folder => LoadZip(Write(folder, "truncated.zip", File.ReadAllBytes(SavedZip(folder))[..1000])));
        yield return Case<InvalidDataException>("model file", "corrupted .zip (one byte of the stored model changed)", "corrupted.zip", folder => LoadZip(Write(folder, "corrupted.zip", FlipInsideOnnxEntry(File.ReadAllBytes(SavedZip(folder))))));
        yield return Case<FileNotFoundException>("model file", "missing .zip", "missing.zip", folder => LoadZip(Path.Combine(folder, "missing.zip")));
        // ONNX files are loaded by ML.NET's ONNX transformer (stock behaviour: its errors name the file).
        yield return Case<InvalidOperationException>("model file", "empty .onnx", "empty.onnx", folder => LoadOnnx(Write(folder, "empty.onnx", [])));
        yield return Case<InvalidOperationException>("model file", "truncated .onnx", "truncated.onnx", folder => LoadOnnx(Write(folder, "truncated.onnx", TrainedClassifier.Value.GetOnnxModel()[..300])));
        yield return Case<InvalidOperationException>("model file", "corrupted .onnx", "corrupted.onnx", folder => LoadOnnx(Write(folder, "corrupted.onnx", [.. "not a protobuf"u8])));
        yield return Case<IOException>("model file", "missing .onnx", "missing.onnx", folder => LoadOnnx(Path.Combine(folder, "missing.onnx")));
        yield return Case<ObjectDisposedException>("scoring", "a model disposed by the prediction engine made from it", "OwnsTransformer = false", _ => ScoreAfterEngineDisposed());
        yield return Case<DirectoryNotFoundException>("output folder", "SaveOnnx into a folder inside a file", "model.onnx", folder => TrainedClassifier.Value.SaveOnnx(Path.Combine(AFile(folder), "model.onnx")));
        yield return Case<IOException>("output folder", "SaveOnnx over a folder keeps the folder", "model.onnx", folder => TrainedClassifier.Value.SaveOnnx(Directory.CreateDirectory(Path.Combine(folder, "model.onnx")).FullName));
    }
}
