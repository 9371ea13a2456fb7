using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>Seeded per-image augmentation of training batches: random crop after zero padding, horizontal flip.</summary>
public sealed class BatchAugmenter
{
    private readonly int _padding;
    private readonly bool _flip;
    private readonly Random _random;

    /// <summary>Initializes a new instance of the <see cref="BatchAugmenter"/> class.</summary>
    /// <param name="padding">Zero padding before the random crop back to the original size (0: no crop).</param>
    /// <param name="horizontalFlip">Whether each image is flipped left-right with probability ½.</param>
    /// <param name="seed">Seed of the draws.</param>
    public BatchAugmenter(int padding, bool horizontalFlip, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _padding = padding;
        _flip = horizontalFlip;
        _random = new Random(seed);
    }

    /// <summary>Gets a value indicating whether the augmenter changes anything.</summary>
    public bool IsActive => _padding > 0 || _flip;

    /// <summary>Returns the augmented batch [n, C, H, W] (the input when inactive).</summary>
    /// <param name="images">The batch.</param>
    /// <returns>The augmented batch.</returns>
    public Tensor Apply(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!IsActive)
        {
            return images;
        }

        var count = (int)images.shape[0];
        var height = images.shape[2];
        var width = images.shape[3];
        var padded = _padding > 0 ? nn.functional.pad(images, [_padding, _padding, _padding, _padding]) : images;
        var outputs = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            var top = _padding > 0 ? _random.Next(2 * _padding + 1) : 0;
            var left = _padding > 0 ? _random.Next(2 * _padding + 1) : 0;
            var image = padded[i].narrow(1, top, height).narrow(2, left, width);
            outputs[i] = _flip && _random.Next(2) == 1 ? image.flip(2) : image;
        }

        return stack(outputs);
    }
}
