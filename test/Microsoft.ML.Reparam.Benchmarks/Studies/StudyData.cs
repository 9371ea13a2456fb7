using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Benchmarks.Studies;

/// <summary>The Fashion-MNIST images a study trains and tests on, and how to describe them in its report.</summary>
internal sealed record StudyData(ImageTensorDataset Train, ImageTensorDataset Test, string Description)
{
    /// <summary>
    /// With <paramref name="preferFull"/>, the full set from the Debian package when present (or <c>--data DIR</c>), else
    /// the embedded subset; without it, the embedded subset unless <c>--data DIR</c> is given. Quick mode keeps 2,000
    /// training and 500 test images.
    /// </summary>
    public static StudyData Load(BenchmarkArguments arguments, bool preferFull = true)
    {
        var directory = arguments.Get("data") ?? (preferFull ? FashionMnist.DefaultDirectory : string.Empty);
        var full = directory.Length > 0 && File.Exists(Path.Combine(directory, "train-labels-idx1-ubyte.gz")) || File.Exists(Path.Combine(directory, "train-labels-idx1-ubyte"));
        var (train, test) = full ? FashionMnist.Load(directory) : FashionMnist.LoadEmbedded();
        var source = full ? $"full Fashion-MNIST from {directory}" : preferFull ? "the embedded Fashion-MNIST subset (the Debian package dataset-fashion-mnist was not found)" : "the embedded Fashion-MNIST subset";
        if (arguments.Quick)
        {
            (train, test) = (train.Take(2000), test.Take(500));
        }

        return new StudyData(train.ToTensorDataset(), test.ToTensorDataset(), $"{source}: {train.Count} training and {test.Count} test images");
    }
}
