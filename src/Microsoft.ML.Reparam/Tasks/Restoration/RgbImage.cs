using Microsoft.ML.Data;
namespace Microsoft.ML.Reparam.Tasks.Restoration;

/// <summary>An 8-bit RGB image, interleaved, row-major: the form restoration reads images in and measures them.</summary>
internal sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>Copies the pixels of <paramref name="image"/> (32-bit BGRA or RGBA; alpha dropped) without disposing it.</summary>
    public static RgbImage From(MLImage image)
    {
        var source = image.Pixels;
        var (red, blue) = image.PixelFormat == MLPixelFormat.Bgra32 ? (2, 0) : (0, 2);
        var pixels = new byte[image.Width * image.Height * 3];
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            pixels[3 * i] = source[(4 * i) + red];
            pixels[(3 * i) + 1] = source[(4 * i) + 1];
            pixels[(3 * i) + 2] = source[(4 * i) + blue];
        }

        return new RgbImage(image.Width, image.Height, pixels);
    }

    /// <summary>Rounds planar RGB values in [0, 1] ([3, H, W]) to an image, clamping to 0..255.</summary>
    public static RgbImage FromPlanar(ReadOnlySpan<float> planar, int width, int height)
    {
        var size = width * height;
        var pixels = new byte[size * 3];
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < size; i++)
            {
                pixels[(3 * i) + c] = ToByte(planar[(c * size) + i] * 255.0);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Rounds a value on the 0–255 scale to a byte as MATLAB's <c>uint8</c> does (half away from zero, clamped).</summary>
    public static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value, MidpointRounding.AwayFromZero), 0, 255);

    /// <summary>Returns the pixels as planar RGB [3, H, W] in [0, 1].</summary>
    public float[] ToPlanar()
    {
        var size = Width * Height;
        var planar = new float[size * 3];
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < size; i++)
            {
                planar[(c * size) + i] = Pixels[(3 * i) + c] / 255f;
            }
        }

        return planar;
    }

    /// <summary>Returns the top-left crop whose sides are multiples of <paramref name="multiple"/> (MATLAB's <c>modcrop</c>).</summary>
    public RgbImage CropToMultiple(int multiple) => Crop(0, 0, Width - (Width % multiple), Height - (Height % multiple));

    /// <summary>Returns the <paramref name="width"/>×<paramref name="height"/> crop at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public RgbImage Crop(int left, int top, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            Array.Copy(Pixels, (((top + y) * Width) + left) * 3, pixels, y * width * 3, width * 3);
        }

        return new RgbImage(width, height, pixels);
    }

    /// <summary>Returns a new 32-bit RGBA image (opaque) the caller owns.</summary>
    public MLImage ToMLImage()
    {
        var rgba = new byte[Width * Height * 4];
        for (var i = 0; i < Width * Height; i++)
        {
            rgba[4 * i] = Pixels[3 * i];
            rgba[(4 * i) + 1] = Pixels[(3 * i) + 1];
            rgba[(4 * i) + 2] = Pixels[(3 * i) + 2];
            rgba[(4 * i) + 3] = byte.MaxValue;
        }

        return MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Rgba32, rgba);
    }
}
