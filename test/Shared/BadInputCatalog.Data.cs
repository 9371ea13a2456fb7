using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;
using Microsoft.ML.Reparam.Training.Checkpoints;

namespace Microsoft.ML.Reparam.Robustness;

/// <summary>The data, models and files the bad-input cases are built from: a few pixels each, so every case runs in about a second.</summary>
internal static partial class BadInputCatalog
{
    private static readonly Lazy<ReparamConvTransformer> TrainedClassifier = new(() => TrainClassifier(Pixels([0, 1, 0, 1, 0, 1, 0, 1]), _ => { }));

    private static BadInputCase Case<T>(string task, string input, string names, Action<string> run)
        where T : Exception => new(task, input, typeof(T), names, run);

    private static ReparamConvTrainerOptions TinyClassifier() => new()
    {
        ImageColumnName = "Pixels",
        ImageWidth = 4,
        ImageHeight = 4,
        StageWidths = [4],
        StageDepths = [1],
        StageStrides = [1],
        Epochs = 1,
        BatchSize = 4,
        ValidationFraction = 0,
        FoldCheckImages = 1,
    };

    private static void FitClassifier(IDataView data, Action<ReparamConvTrainerOptions>? configure = null) => TrainClassifier(data, configure).Dispose();

    private static ReparamConvTransformer TrainClassifier(IDataView data, Action<ReparamConvTrainerOptions>? configure)
    {
        var options = TinyClassifier();
        configure?.Invoke(options);
        return _mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(data);
    }

    /// <summary>Fits once with a checkpoint, damages the checkpoint with <paramref name="damage"/>, then fits again (with <paramref name="change"/>).</summary>
    private static void FitWithCheckpoint(string folder, Func<byte[], byte[]> damage, Action<ReparamConvTrainerOptions>? change = null)
    {
        var checkpoints = Path.Combine(folder, "checkpoints");
        FitClassifier(Pixels([0, 1, 0, 1]), o => o.CheckpointDirectory = checkpoints);
        var file = Path.Combine(checkpoints, CheckpointPlan.FileName);
        File.WriteAllBytes(file, damage(File.ReadAllBytes(file)));
        FitClassifier(Pixels([0, 1, 0, 1]), o => { o.CheckpointDirectory = checkpoints; change?.Invoke(o); });
    }

    /// <summary>Fits into a checkpoint folder whose lock another fit holds.</summary>
    private static void FitWhileLocked(string folder)
    {
        using var other = new CheckpointPlan(folder, new Dictionary<string, string>()).Lock();
        FitClassifier(Pixels([0, 1, 0, 1]), o => o.CheckpointDirectory = folder);
    }

    private static void Images(ReparamConvTrainerOptions options) => (options.ImageColumnName, options.ImageWidth, options.ImageHeight) = ("Image", null, null);

    /// <summary>Pixel-vector rows 4×4 with key labels (class −1: a missing label).</summary>
    private static IDataView Pixels(int[] classes, Func<int, int, float>? pixel = null, int classCount = 2)
    {
        var rows = classes.Select((c, row) => new PixelRow { Pixels = [.. Enumerable.Range(0, 16).Select(i => pixel?.Invoke(row, i) ?? ((row + i) % 3 / 2f))], Label = c < 0 ? 99u : (uint)c }); // stored as key c + 1; beyond the count: key 0 (missing)
        return _mlContext.Data.LoadFromEnumerable(rows, KeySchema<PixelRow>(classCount));
    }

    /// <summary>Pixel rows whose label key has 3 values but names only 2.</summary>
    private static IDataView PixelsWithKeyValues()
    {
        var schema = KeySchema<PixelRow>(3);
        var names = new VBuffer<ReadOnlyMemory<char>>(2, ["a".AsMemory(), "b".AsMemory()]);
        schema["Label"].AddAnnotation("KeyValues", names, new VectorDataViewType(TextDataViewType.Instance, 2));
        return _mlContext.Data.LoadFromEnumerable(new uint[] { 0, 1 }.Select(value => new PixelRow { Pixels = new float[16], Label = value }), schema);
    }

    /// <summary>In-memory images of the given sizes (0×0: no image) with alternating labels.</summary>
    private static IDataView Images(params (int Width, int Height)[] sizes)
    {
        var rows = sizes.Select((size, i) => new ImageRow { Image = size.Width == 0 ? null : Gray(size.Width, size.Height, i), Label = (uint)(i % 2) });
        return _mlContext.Data.LoadFromEnumerable(rows, KeySchema<ImageRow>());
    }

    /// <summary>Image files loaded by ML.NET: two good ones and a third file named <paramref name="name"/> holding <paramref name="content"/>.</summary>
    private static IDataView ImageFiles(string folder, string name, byte[] content)
    {
        var paths = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var image = Gray(4, 4, i);
            paths.Add(Path.Combine(folder, $"{i}.png"));
            image.Save(paths[^1]);
        }

        paths.Add(Write(folder, name, content));
        var view = _mlContext.Data.LoadFromEnumerable(paths.Select((p, i) => new PathRow { ImagePath = p, Label = (uint)(i % 2) }), KeySchema<PathRow>());
        return _mlContext.Transforms.LoadImages("Image", null, nameof(PathRow.ImagePath)).Fit(view).Transform(view);
    }

    /// <summary>A well-formed PNG (signature, IHDR, IDAT, IEND, correct CRCs) whose header declares 0×0 pixels.</summary>
    private static byte[] ZeroByZeroPng()
    {
        var png = new List<byte>(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        void Chunk(string type, byte[] data)
        {
            png.AddRange(BigEndian((uint)data.Length));
            var body = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            png.AddRange(body);
            png.AddRange(BigEndian(Crc32(body)));
        }

        Chunk("IHDR", [0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0]); // width 0, height 0, 8-bit gray
        Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]); // an empty zlib stream
        Chunk("IEND", []);
        return [.. png];
    }

    private static byte[] BigEndian(uint value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>CRC-32 of the PNG specification (ISO 3309 polynomial, reflected).</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    private static MLImage Gray(int width, int height, int seed)
    {
        var pixels = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            pixels[(4 * i) + 0] = pixels[(4 * i) + 1] = pixels[(4 * i) + 2] = (byte)((i * 37) + (seed * 91));
            pixels[(4 * i) + 3] = 255;
        }

        return MLImage.CreateFromPixels(width, height, MLPixelFormat.Bgra32, pixels);
    }

    private static void FitSegmenter(IDataView data, Action<ReparamSegmentationOptions>? configure = null)
    {
        var options = new ReparamSegmentationOptions { StageWidths = [4, 8], StageDepths = [1], Epochs = 1, BatchSize = 2, ValidationFraction = 0, FoldCheckImages = 1 };
        configure?.Invoke(options);
        _mlContext.Transforms.ReparamSegmentation(options).Fit(data).Dispose();
    }

    /// <summary>16×16 images with masks of class ids <paramref name="mask"/>(row, y, x).</summary>
    private static IDataView Masks(int count, Func<int, int, int, byte> mask, int maskSize = 16)
    {
        var rows = Enumerable.Range(0, count).Select(row =>
        {
            var values = new byte[maskSize * maskSize];
            for (var y = 0; y < maskSize; y++)
            {
                for (var x = 0; x < maskSize; x++)
                {
                    values[(y * maskSize) + x] = mask(row, y, x);
                }
            }

            return new MaskRow { Image = Gray(16, 16, row), Mask = new SegmentationImages(values, values, maskSize, maskSize, null).MaskAt(0) };
        });
        return _mlContext.Data.LoadFromEnumerable(rows.ToList(), SchemaDefinition.Create(typeof(MaskRow)));
    }

    private static void FitRestorer(IDataView data, ReparamRestorationOptions options)
    {
        using var model = options switch
        {
            ReparamSuperResolutionOptions sr => (IDisposable)_mlContext.Transforms.ReparamSuperResolution(sr).Fit(data),
            ReparamDenoisingOptions dn => _mlContext.Transforms.ReparamDenoising(dn).Fit(data),
            _ => throw new ArgumentException("unknown restoration options", nameof(options)),
        };
    }

    private static IDataView Photos(params (int Width, int Height)[] sizes) =>
        _mlContext.Data.LoadFromEnumerable(sizes.Select((s, i) => new PhotoRow { Image = s.Width == 0 ? null : Gray(s.Width, s.Height, i) }).ToList(), SchemaDefinition.Create(typeof(PhotoRow)));

    /// <summary>ML.NET's prediction engines dispose their model by default: scoring with it afterwards must say so.</summary>
    private static void ScoreAfterEngineDisposed()
    {
        using var model = TrainClassifier(Pixels([0, 1, 0, 1]), null);
        _mlContext.Model.CreatePredictionEngine<PixelRow, ScoreRow>(model, new PredictionEngineOptions { InputSchemaDefinition = KeySchema<PixelRow>() }).Dispose();
        model.Transform(Pixels([0, 1]));
    }

    private static string SavedZip(string folder)
    {
        var path = Path.Combine(folder, "model.zip");
        if (!File.Exists(path))
        {
            _mlContext.Model.Save(TrainedClassifier.Value, Pixels([0, 1]).Schema, path);
        }

        return path;
    }

    private static void LoadZip(string path) => _mlContext.Model.LoadVerified(path, out _);

    private static void LoadOnnx(string path) => _mlContext.Transforms.ApplyOnnxModel(path);

    private static string Write(string folder, string name, byte[] content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string AFile(string folder) => Write(folder, "a-file", [1, 2, 3]);

    private static byte[] Flip(byte[] content, int index)
    {
        var copy = (byte[])content.Clone();
        copy[Math.Clamp(index, 0, copy.Length - 1)] ^= 0x5A;
        return copy;
    }

    /// <summary>Flips a byte 40 bytes into the compressed ONNX model: after the entry's name in its local header (no extra field in zips .NET writes).</summary>
    private static byte[] FlipInsideOnnxEntry(byte[] zip)
    {
        var name = "OnnxModel"u8;
        return Flip(zip, zip.AsSpan().IndexOf(name) + name.Length + 40);
    }

    private static SchemaDefinition KeySchema<TRow>(int classes = 2)
    {
        var schema = SchemaDefinition.Create(typeof(TRow));
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), classes);
        if (typeof(TRow) == typeof(PixelRow))
        {
            schema["Pixels"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 16);
        }

        return schema;
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];

        public uint Label { get; set; }
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }

    private sealed class TextRow
    {
        public string Pixels { get; set; } = string.Empty;

        public uint Label { get; set; }
    }

    private sealed class TextLabelRow
    {
        [VectorType(16)]
        public float[] Pixels { get; set; } = new float[16];

        public string Label { get; set; } = string.Empty;
    }

    private sealed class ImageRow
    {
        [ImageType(1, 1)] // a declared size ML.NET needs; the images keep theirs
        public MLImage? Image { get; set; }

        public uint Label { get; set; }
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = string.Empty;

        public uint Label { get; set; }
    }

    private sealed class MaskRow
    {
        [ImageType(1, 1)]
        public MLImage Image { get; set; } = null!;

        [ImageType(1, 1)]
        public MLImage Mask { get; set; } = null!;
    }

    private sealed class PhotoRow
    {
        [ImageType(1, 1)]
        public MLImage? Image { get; set; }
    }

    private sealed class TextImageColumnRow
    {
        public string Image { get; set; } = string.Empty;
    }
}
