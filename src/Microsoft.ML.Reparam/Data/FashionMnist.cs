using System.Reflection;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 28×28 grayscale images of 10 clothing classes. The library
/// embeds a class-balanced subset (10,000 training and 2,000 test images, Data/FashionMnist/README.md); the
/// full set is the Debian package <c>dataset-fashion-mnist</c>.
/// </summary>
public static class FashionMnist
{
    /// <summary>The folder where the Debian package <c>dataset-fashion-mnist</c> installs the full set.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    private const string ResourcePrefix = "Microsoft.ML.Reparam.Data.FashionMnist.";

    /// <summary>Gets the class names, indexed by label, as in the dataset's README.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads the embedded subset.</summary>
    /// <returns>10,000 training images (1,000 per class) and 2,000 test images (200 per class).</returns>
    public static (LabeledImages Train, LabeledImages Test) LoadEmbedded() =>
        (FromResources("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), FromResources("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"));

    /// <summary>Loads the full set from the four standard IDX files in <paramref name="directory"/>, each with or without ".gz".</summary>
    /// <param name="directory">The folder holding the files.</param>
    /// <returns>The training and test images.</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static (LabeledImages Train, LabeledImages Test) Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return (FromFiles(directory, "train-images-idx3-ubyte", "train-labels-idx1-ubyte"), FromFiles(directory, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"));
    }

    /// <summary>Combines an IDX image file [N, H, W] and an IDX label file [N] of unsigned bytes.</summary>
    /// <param name="images">The image file's content.</param>
    /// <param name="labels">The label file's content.</param>
    /// <param name="name">A name for error messages.</param>
    /// <returns>The labelled images.</returns>
    internal static LabeledImages Combine(IdxFile images, IdxFile labels, string name)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Dimensions.Count != 3 || labels.Dimensions.Count != 1)
        {
            throw new InvalidDataException($"{name}: expected images [N, H, W] and labels [N], got [{string.Join(", ", images.Dimensions)}] and [{string.Join(", ", labels.Dimensions)}].");
        }

        if (images.Dimensions[0] != labels.Dimensions[0])
        {
            throw new InvalidDataException($"{name}: {images.Dimensions[0]} images but {labels.Dimensions[0]} labels.");
        }

        var classes = labels.AsBytes().Select(b => (int)b).ToArray();
        var bad = Array.FindIndex(classes, c => c >= ClassNames.Count);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{name}: label {classes[bad]} of image {bad} is not one of the {ClassNames.Count} classes.");
        }

        return new LabeledImages(images.AsBytes(), classes, images.Dimensions[1], images.Dimensions[2], 1, ClassNames);
    }

    private static LabeledImages FromFiles(string directory, string images, string labels) =>
        Combine(IdxReader.Read(Locate(directory, images)), IdxReader.Read(Locate(directory, labels)), directory);

    private static string Locate(string directory, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz" })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"Fashion-MNIST file '{name}' (or '{name}.gz') is not in '{directory}'.", Path.Combine(directory, name));
    }

    private static LabeledImages FromResources(string images, string labels) =>
        Combine(ReadResource(images), ReadResource(labels), "embedded Fashion-MNIST subset");

    private static IdxFile ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourcePrefix + name}' is missing from the library.");
        return IdxReader.Read(stream, name);
    }
}
