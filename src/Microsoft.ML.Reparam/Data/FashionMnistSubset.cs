namespace Microsoft.ML.Reparam.Data;

/// <summary>Writes the class-balanced subset of Fashion-MNIST that the library embeds (Data/FashionMnist/README.md).</summary>
internal static class FashionMnistSubset
{
    /// <summary>
    /// Keeps, for each class, the first <paramref name="perClassTrain"/> training and <paramref name="perClassTest"/>
    /// test images in file order (order preserved), and writes them as gzipped IDX files named as the originals.
    /// </summary>
    /// <param name="sourceDirectory">The full set's folder.</param>
    /// <param name="outputDirectory">Where to write the four files.</param>
    /// <param name="perClassTrain">Training images per class.</param>
    /// <param name="perClassTest">Test images per class.</param>
    public static void Write(string sourceDirectory, string outputDirectory, int perClassTrain = 1000, int perClassTest = 200)
    {
        var (train, test) = FashionMnist.Load(sourceDirectory);
        Directory.CreateDirectory(outputDirectory);
        WriteBalanced(train, perClassTrain, Path.Combine(outputDirectory, "train-images-idx3-ubyte.gz"), Path.Combine(outputDirectory, "train-labels-idx1-ubyte.gz"));
        WriteBalanced(test, perClassTest, Path.Combine(outputDirectory, "t10k-images-idx3-ubyte.gz"), Path.Combine(outputDirectory, "t10k-labels-idx1-ubyte.gz"));
    }

    /// <summary>Returns the indices of the first <paramref name="perClass"/> images of each class, in file order.</summary>
    /// <param name="labels">Labels in file order.</param>
    /// <param name="perClass">Images per class.</param>
    /// <returns>Indices in ascending order.</returns>
    public static int[] BalancedIndices(IReadOnlyList<int> labels, int perClass)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var taken = new Dictionary<int, int>();
        var indices = new List<int>();
        for (var i = 0; i < labels.Count; i++)
        {
            taken.TryGetValue(labels[i], out var count);
            if (count < perClass)
            {
                taken[labels[i]] = count + 1;
                indices.Add(i);
            }
        }

        return [.. indices];
    }

    private static void WriteBalanced(LabeledImages images, int perClass, string imagePath, string labelPath)
    {
        var indices = BalancedIndices(images.Labels, perClass);
        var size = images.Height * images.Width;
        var pixels = new byte[indices.Length * size];
        for (var i = 0; i < indices.Length; i++)
        {
            Array.Copy(images.Pixels, indices[i] * size, pixels, i * size, size);
        }

        IdxReader.WriteGzip(imagePath, [indices.Length, images.Height, images.Width], pixels);
        IdxReader.WriteGzip(labelPath, [indices.Length], indices.Select(i => (byte)images.Labels[i]).ToArray());
    }
}
