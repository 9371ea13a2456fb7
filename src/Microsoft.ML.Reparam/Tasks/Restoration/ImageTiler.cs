namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>
/// Runs a size-agnostic network on an image in tiles (docs/restoration.md, "Any size, in tiles"): every tile is read with
/// a margin of the network's receptive radius on each side (less at the image's own border), and only its core is kept,
/// so every output pixel sees exactly the input it sees when the whole image is run at once.
/// </summary>
internal static class ImageTiler
{
    /// <param name="run">Runs the network on planar input [C, h, w] and returns planar output [C', h·scale, w·scale].</param>
    /// <param name="input">Planar input [C, H, W].</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="scale">The network's upscale factor.</param>
    /// <param name="tile">The side of a tile's core in input pixels.</param>
    /// <param name="margin">The receptive radius in input pixels.</param>
    /// <returns>Planar output [C', H·scale, W·scale].</returns>
    public static float[] Run(Func<float[], int, int, float[]> run, float[] input, int channels, int height, int width, int scale, int tile, int margin)
    {
        float[]? output = null;
        var outChannels = 0;
        for (var top = 0; top < height; top += tile)
        {
            for (var left = 0; left < width; left += tile)
            {
                var (y0, y1) = (Math.Max(0, top - margin), Math.Min(height, top + tile + margin));
                var (x0, x1) = (Math.Max(0, left - margin), Math.Min(width, left + tile + margin));
                var part = run(Crop(input, channels, height, width, y0, x0, y1 - y0, x1 - x0), y1 - y0, x1 - x0);
                var (partHeight, partWidth) = ((y1 - y0) * scale, (x1 - x0) * scale);
                outChannels = part.Length / (partHeight * partWidth);
                output ??= new float[outChannels * height * scale * width * scale];
                var (coreHeight, coreWidth) = ((Math.Min(height, top + tile) - top) * scale, (Math.Min(width, left + tile) - left) * scale);
                for (var c = 0; c < outChannels; c++)
                {
                    for (var y = 0; y < coreHeight; y++)
                    {
                        Array.Copy(
                            part,
                            (((c * partHeight) + ((top - y0) * scale) + y) * partWidth) + ((left - x0) * scale),
                            output,
                            (((c * height * scale) + (top * scale) + y) * width * scale) + (left * scale),
                            coreWidth);
                    }
                }
            }
        }

        return output!;
    }

    private static float[] Crop(float[] input, int channels, int height, int width, int top, int left, int cropHeight, int cropWidth)
    {
        var crop = new float[channels * cropHeight * cropWidth];
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < cropHeight; y++)
            {
                Array.Copy(input, (((c * height) + top + y) * width) + left, crop, ((c * cropHeight) + y) * cropWidth, cropWidth);
            }
        }

        return crop;
    }
}
