using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// What a task trains towards, one entry per image: a class index, a mask, a target image. The training loop batches
/// it next to the images without knowing which; map targets (<see cref="Scale"/> &gt; 0) are cropped, flipped and
/// rotated together with their images.
/// </summary>
internal abstract class TargetSet
{
    /// <summary>Gets the number of entries.</summary>
    public abstract int Count { get; }

    /// <summary>Gets how many target pixels stand for one image pixel along each side (1 for masks), or 0 when the target is not a map.</summary>
    public virtual int Scale => 0;

    /// <summary>Gets the value a map target is padded with when its image is (the ignore value of a mask).</summary>
    public virtual float PadValue => 0;

    /// <summary>Returns the entries at <paramref name="rows"/> as one tensor, batch first.</summary>
    public abstract Tensor Batch(ReadOnlySpan<int> rows);

    /// <summary>Returns a copy holding the entries at <paramref name="rows"/>, in that order.</summary>
    public abstract TargetSet Subset(IReadOnlyList<int> rows);
}

/// <summary>Class indices 0..K−1, batched as int64 [n].</summary>
internal sealed class ClassTargets(int[] labels, int classCount) : TargetSet
{
    public int[] Labels => labels;

    public int ClassCount => classCount;

    public override int Count => labels.Length;

    public override Tensor Batch(ReadOnlySpan<int> rows)
    {
        var values = new long[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = labels[rows[i]];
        }

        return tensor(values);
    }

    public override TargetSet Subset(IReadOnlyList<int> rows) => new ClassTargets([.. rows.Select(r => labels[r])], classCount);
}

/// <summary>
/// Per-pixel class indices 0..K−1 of masks [N, H, W] (one byte per pixel, <see cref="Ignore"/> for pixels that count
/// in neither loss nor metric), batched as int64 [n, H, W].
/// </summary>
internal sealed class MaskTargets(byte[] masks, int height, int width, int classCount) : TargetSet
{
    /// <summary>The stored value of an ignored pixel; class counts stay below it.</summary>
    public const byte Ignore = byte.MaxValue;

    public byte[] Masks => masks;

    public int Height => height;

    public int Width => width;

    public int ClassCount => classCount;

    public override int Count => masks.Length / (height * width);

    public override int Scale => 1;

    public override float PadValue => Ignore;

    public override Tensor Batch(ReadOnlySpan<int> rows) => tensor(Gather(rows.ToArray()), [rows.Length, height, width]).to(int64);

    public override TargetSet Subset(IReadOnlyList<int> rows) => new MaskTargets(Gather(rows), height, width, classCount);

    private byte[] Gather(IReadOnlyList<int> rows)
    {
        var size = height * width;
        var values = new byte[(long)rows.Count * size];
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Copy(masks, (long)rows[i] * size, values, (long)i * size, size);
        }

        return values;
    }
}
