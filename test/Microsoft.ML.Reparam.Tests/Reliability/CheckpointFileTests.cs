using Microsoft.ML.Reparam.Training;
using Microsoft.ML.Reparam.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>The checkpoint file format: exact round trip, strict refusal of damaged files, replayable generators.</summary>
[TestClass]
public sealed class CheckpointFileTests
{
    [TestMethod]
    public void EveryEntryKindRoundTripsExactly()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "a.ckpt");
        using var floats = tensor(new[] { 1.5f, -0f, float.Epsilon, 3e38f, 7f, 8f }).reshape(2, 3);
        using var doubles = tensor(new[] { Math.PI, -1e-300 });
        using var bytes = tensor(new byte[] { 0, 255, 7 });
        var writer = new CheckpointWriter();
        writer.Add("f", floats);
        writer.Add("d", doubles);
        writer.Add("b", bytes);
        writer.Add("i", [long.MinValue, 0L, 42L]);
        writer.Add("x", [double.NaN, 0.1]);
        writer.Add("t", "héllo");
        writer.Save(path);

        var reader = CheckpointReader.Open(path);

        using var f = reader.Tensor("f");
        CollectionAssert.AreEqual(new long[] { 2, 3 }, f.shape);
        Assert.IsTrue(f.eq(floats).all().item<bool>());
        using var d = reader.Tensor("d");
        Assert.IsTrue(d.eq(doubles).all().item<bool>());
        using var b = reader.Tensor("b");
        Assert.IsTrue(b.eq(bytes).all().item<bool>());
        CollectionAssert.AreEqual(new[] { long.MinValue, 0L, 42L }, reader.Int64s("i"));
        Assert.IsTrue(double.IsNaN(reader.Doubles("x")[0]));
        Assert.AreEqual(0.1, reader.Doubles("x")[1]);
        Assert.AreEqual("héllo", reader.Text("t"));
        Assert.AreEqual(1, Directory.GetFiles(folder.Path).Length, "no temporary file is left behind");
    }

    [TestMethod]
    [DataRow("empty", "it is empty")]
    [DataRow("not a checkpoint", "does not start with the checkpoint header")]
    [DataRow("truncated", "is truncated or has extra bytes")]
    [DataRow("extended", "is truncated or has extra bytes")]
    [DataRow("bit flip", "does not match its checksum")]
    [DataRow("future version", "format version 2")]
    public void DamagedFilesAreRefusedByName(string damage, string expected)
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "damaged.ckpt");
        var writer = new CheckpointWriter();
        using var values = ones(64);
        writer.Add("w", values);
        writer.Save(path);
        var content = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "empty" => [],
            "not a checkpoint" => "PK\u0003\u0004 not a checkpoint at all, but long enough for a header"u8.ToArray(),
            "truncated" => content[..^10],
            "extended" => [.. content, 0],
            "bit flip" => Flip(content, content.Length - 5),
            _ => Version(content, 2),
        });

        var error = Assert.ThrowsExactly<InvalidDataException>(() => CheckpointReader.Open(path));

        StringAssert.Contains(error.Message, path);
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public void AMissingOrMisshapenEntryIsNamed()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "a.ckpt");
        var writer = new CheckpointWriter();
        using var values = ones(2, 3);
        writer.Add("w", values);
        writer.Save(path);
        var reader = CheckpointReader.Open(path);
        using var target = zeros(3, 2);

        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => reader.Text("v")).Message, "no entry 'v'");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => reader.CopyInto("w", target)).Message, "entry 'w' is Float32 [2, 3] but the model expects Float32 [3, 2]");
    }

    [TestMethod]
    public void AReplayedGeneratorContinuesTheSeededSequence()
    {
        var plain = new Random(5);
        var replayable = new ReplayableRandom(5);
        int[] a = [.. Enumerable.Range(0, 50)], b = [.. a];
        plain.Shuffle(a);
        replayable.Shuffle(b);
        CollectionAssert.AreEqual(a, b, "the same draws as Random.Shuffle");
        var expected = Enumerable.Range(0, 20).Select(i => plain.Next(i + 3)).ToList();
        Assert.AreEqual(49, replayable.Draws);

        var restored = new ReplayableRandom(5);
        restored.Restore(replayable.Draws);

        CollectionAssert.AreEqual(expected, Enumerable.Range(0, 20).Select(i => restored.Next(i + 3)).ToList());
    }

    private static byte[] Flip(byte[] content, int index)
    {
        var copy = (byte[])content.Clone();
        copy[index] ^= 0x10;
        return copy;
    }

    private static byte[] Version(byte[] content, int version)
    {
        var copy = (byte[])content.Clone();
        BitConverter.GetBytes(version).CopyTo(copy, 8);
        return copy;
    }
}
