using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// Seeded per-image augmentation of training batches: random crop after zero padding, horizontal and vertical flips,
/// 90° rotations (square images only). A map target (mask or target image) gets the same crop, flips and rotation,
/// scaled by its size ratio to the image (super-resolution targets are larger), padded with its pad value.
/// </summary>
internal sealed class BatchAugmenter
{
    private readonly int _padding;
    private readonly bool _flip;
    private readonly bool _verticalFlip;
    private readonly bool _rotate90;
    private readonly ReplayableRandom _random;

    /// <summary>Initializes a new instance of the <see cref="BatchAugmenter"/> class.</summary>
    /// <param name="padding">Zero padding before the random crop back to the original size (0: no crop).</param>
    /// <param name="horizontalFlip">Whether each image is flipped left-right with probability ½.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="verticalFlip">Whether each image is flipped top-bottom with probability ½.</param>
    /// <param name="rotate90">Whether each square image is turned by a random multiple of 90°.</param>
    public BatchAugmenter(int padding, bool horizontalFlip, int seed, bool verticalFlip = false, bool rotate90 = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _padding = padding;
        _flip = horizontalFlip;
        _verticalFlip = verticalFlip;
        _rotate90 = rotate90;
        _random = new ReplayableRandom(seed);
    }

    /// <summary>Gets the draws made so far (checkpointed).</summary>
    public long Draws => _random.Draws;

    /// <summary>Gets a value indicating whether the augmenter changes anything.</summary>
    public bool IsActive => _padding > 0 || _flip || _verticalFlip || _rotate90;

    /// <summary>Returns the augmented batch [n, C, H, W] (the input when inactive).</summary>
    /// <param name="images">The batch.</param>
    /// <returns>The augmented batch.</returns>
    public Tensor Apply(Tensor images) => Apply(images, null, 0, 0).Images;

    /// <summary>
    /// Augments images and, when <paramref name="targets"/> is a map batch ([n, H·s, W·s] or [n, C, H·s, W·s] with
    /// <paramref name="scale"/> s ≥ 1), the targets with the same draws; other targets come back unchanged.
    /// </summary>
    internal (Tensor Images, Tensor? Targets) Apply(Tensor images, Tensor? targets, int scale, float padValue)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (!IsActive)
        {
            return (images, targets);
        }

        var maps = scale > 0 ? targets : null;
        var (height, width) = (images.shape[2], images.shape[3]);
        var padded = _padding > 0 ? nn.functional.pad(images, [_padding, _padding, _padding, _padding]) : images;
        var paddedMaps = maps is not null && _padding > 0 ? nn.functional.pad(maps, [_padding * scale, _padding * scale, _padding * scale, _padding * scale], value: padValue) : maps;
        var count = (int)images.shape[0];
        var outputs = new Tensor[count];
        var mapOutputs = new Tensor[count];
        for (var i = 0; i < count; i++)
        {
            var top = _padding > 0 ? _random.Next(2 * _padding + 1) : 0;
            var left = _padding > 0 ? _random.Next(2 * _padding + 1) : 0;
            var draws = (Horizontal: _flip && _random.Next(2) == 1, Vertical: _verticalFlip && _random.Next(2) == 1, Turns: _rotate90 && height == width ? _random.Next(4) : 0);
            outputs[i] = Transform(padded[i].narrow(-2, top, height).narrow(-1, left, width), draws);
            if (paddedMaps is not null)
            {
                mapOutputs[i] = Transform(paddedMaps[i].narrow(-2, top * scale, height * scale).narrow(-1, left * scale, width * scale), draws);
            }
        }

        return (stack(outputs), paddedMaps is null ? targets : stack(mapOutputs));
    }

    /// <summary>Moves the draws to where a checkpoint left them.</summary>
    public void Restore(long draws) => _random.Restore(draws);

    private static Tensor Transform(Tensor image, (bool Horizontal, bool Vertical, int Turns) draws)
    {
        var result = draws.Horizontal ? image.flip(-1) : image;
        result = draws.Vertical ? result.flip(-2) : result;
        return draws.Turns > 0 ? result.rot90(draws.Turns, (-2, -1)) : result;
    }
}
