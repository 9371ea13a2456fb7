using System.IO.Compression;
using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Tests.Data;

[TestClass]
public sealed class IdxReaderTests
{
    private static readonly byte[] TwoByThree = [0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255];

    [TestMethod]
    public void ReadsRawAndGzipFilesWhateverTheirName()
    {
        using var folder = new TemporaryFolder();
        var raw = folder.Write("plain.gz", TwoByThree); // a misleading extension: detection is by content
        var gzip = folder.Write("packed.idx", Gzip(TwoByThree));

        foreach (var path in new[] { raw, gzip })
        {
            var file = IdxReader.Read(path);
            Assert.AreEqual(IdxElementType.UnsignedByte, file.ElementType);
            CollectionAssert.AreEqual(new[] { 2, 3 }, file.Dimensions.ToArray());
            CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4, 5, 255 }, file.AsBytes());
        }
    }

    [TestMethod]
    public void ReadsBigEndianFloatValues()
    {
        using var folder = new TemporaryFolder();
        byte[] floats = [0, 0, 0x0D, 1, 0, 0, 0, 2, 0x3F, 0x80, 0, 0, 0xC0, 0x20, 0, 0];
        CollectionAssert.AreEqual(new[] { 1f, -2.5f }, IdxReader.Read(folder.Write("f.idx", floats)).ToSingles());
    }

    [TestMethod]
    public void WrittenFilesReadBack()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "w.gz");
        IdxReader.WriteGzip(path, [2, 2], new byte[] { 9, 8, 7, 6 });
        var file = IdxReader.Read(path);
        CollectionAssert.AreEqual(new[] { 2, 2 }, file.Dimensions.ToArray());
        CollectionAssert.AreEqual(new byte[] { 9, 8, 7, 6 }, file.AsBytes());
    }

    [TestMethod]
    public void TruncatedDataIsReportedWithTheDeclaredShape()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("short.idx", TwoByThree[..15]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.Read(path));
        StringAssert.Contains(error.Message, "truncated");
        StringAssert.Contains(error.Message, "[2, 3]");
        StringAssert.Contains(error.Message, "only 3 bytes follow");
    }

    [TestMethod]
    public void BadMagicIsReported()
    {
        using var folder = new TemporaryFolder();
        var path = folder.Write("png.idx", [0x89, 0x50, 0x4E, 0x47, 1, 2]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.Read(path));
        StringAssert.Contains(error.Message, "bad magic number 89504E47");
    }

    [TestMethod]
    public void MismatchedImageAndLabelCountsAreReported()
    {
        var images = new IdxFile(IdxElementType.UnsignedByte, [3, 1, 1], [1, 2, 3]);
        var labels = new IdxFile(IdxElementType.UnsignedByte, [2], [0, 1]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => FashionMnist.Combine(images, labels, "toy"));
        StringAssert.Contains(error.Message, "toy: 3 images but 2 labels");
    }

    [TestMethod]
    public void MissingFileOfTheFullSetIsNamed()
    {
        using var folder = new TemporaryFolder();
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => FashionMnist.Load(folder.Path));
        StringAssert.Contains(error.Message, "train-images-idx3-ubyte");
    }

    private static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return memory.ToArray();
    }
}
