using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Target images [N, C, H·s, W·s] in [0, 1] for images of H×W (s = <see cref="Scale"/>: the super-resolution factor,
/// or 1 for a denoiser's clean image), batched as float [n, C, H·s, W·s] and augmented together with their images.
/// </summary>
internal sealed class ImageTargets(float[] pixels, int channels, int height, int width, int scale) : TargetSet
{
    private int Size => channels * height * width;

    public float[] Pixels => pixels;

    public override int Count => pixels.Length / Size;

    public override int Scale => scale;

    public override Tensor Batch(ReadOnlySpan<int> rows) => tensor(Gather(rows.ToArray()), [rows.Length, channels, height, width]);

    public override TargetSet Subset(IReadOnlyList<int> rows) => new ImageTargets(Gather(rows), channels, height, width, scale);

    private float[] Gather(IReadOnlyList<int> rows)
    {
        var values = new float[(long)rows.Count * Size];
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Copy(pixels, (long)rows[i] * Size, values, (long)i * Size, Size);
        }

        return values;
    }
}
