using Microsoft.ML.Data;
using Microsoft.ML.Reparam.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Tasks.Segmentation;

/// <summary>
/// Reads a mask column into per-pixel class ids at the model's size: an <c>MLImage</c> (pixel value → class through the
/// options' value map, ignore value → ignored; resized to the model's size with nearest neighbour when the images are),
/// or a key-typed vector of H×W. Every value is checked and a bad one named with its row. Training masks must hold two
/// classes or more; evaluation masks may hold one.
/// </summary>
internal sealed class MaskReader(ReparamSegmentationOptions options, int classCount, bool requireTwoClasses = true) : ITargetReader
{
    private readonly List<byte[]> _masks = [];
    private int _height;
    private int _width;

    /// <summary>Gets the number of classes; known from the options, the value map or the key type, else from the largest class id read.</summary>
    public int ClassCount { get; private set; } = classCount;

    public IReadOnlyList<DataViewSchema.Column> Columns(DataViewSchema schema)
    {
        var column = MaskColumn(schema, options.MaskColumnName);
        return column.Type is ImageDataViewType ? [column, schema[options.ImageColumnName]] : [column];
    }

    public Action<int> Bind(DataViewRowCursor cursor, int height, int width)
    {
        (_height, _width) = (height, width);
        var column = cursor.Schema[options.MaskColumnName];
        return column.Type is ImageDataViewType ? BindImage(cursor, column) : BindKeys(cursor, column);
    }

    public TargetSet Build(int rows)
    {
        var counts = new long[MaskTargets.Ignore + 1];
        foreach (var mask in _masks)
        {
            foreach (var value in mask)
            {
                counts[value]++;
            }
        }

        ClassCount = Math.Max(ClassCount, Array.FindLastIndex(counts, MaskTargets.Ignore - 1, MaskTargets.Ignore, c => c > 0) + 1);
        if (requireTwoClasses && counts.Take(MaskTargets.Ignore).Count(c => c > 0) < 2)
        {
            var hint = counts[MaskTargets.Ignore] > 0 && options.MaskValues is null && options.IgnoreValue is null
                ? " Pixels of value 255 are ignored by default; for masks stored as 0/255 set MaskValues = {0: 0, 255: 1}."
                : string.Empty;
            throw new ArgumentException($"Mask column '{options.MaskColumnName}': the {rows} masks hold fewer than two classes; at least two are needed.{hint}", options.MaskColumnName);
        }

        var all = new byte[(long)_masks.Count * _height * _width];
        for (var i = 0; i < _masks.Count; i++)
        {
            _masks[i].CopyTo(all, (long)i * _height * _width);
        }

        return new MaskTargets(all, _height, _width, ClassCount);
    }

    /// <summary>Throws unless <paramref name="name"/> is an image column or a key-typed vector.</summary>
    public static DataViewSchema.Column MaskColumn(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"Mask column '{name}' was not found in the input data; its columns are: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}.", name);
        if (column.Type is VectorDataViewType { ItemType: KeyDataViewType key } && (key.RawType != typeof(uint) || key.Count is < 2 or >= MaskTargets.Ignore))
        {
            throw new ArgumentException($"Mask column '{name}' is a vector of {key}; a mask's keys must be UInt32 with 2 to {MaskTargets.Ignore - 1} values.", name);
        }

        return column.Type is ImageDataViewType or VectorDataViewType { ItemType: KeyDataViewType }
            ? column
            : throw new ArgumentException($"Mask column '{name}' has type {column.Type}; expected an image (MLImage) whose pixel values are class ids, or a key-typed vector of H×W.", name);
    }

    private Action<int> BindImage(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getMask = cursor.GetGetter<MLImage>(column);
        var getImage = cursor.Schema[options.ImageColumnName].Type is ImageDataViewType ? cursor.GetGetter<MLImage>(cursor.Schema[options.ImageColumnName]) : null;
        var ignore = IgnoreValue();
        MLImage mask = null!;
        MLImage image = null!;
        return row =>
        {
            ImageLimit.Read(getMask, ref mask, options.MaskColumnName, row, "Mask");
            if (mask is null)
            {
                throw new ArgumentException($"Mask column '{options.MaskColumnName}': row {row} has no mask.", options.MaskColumnName);
            }

            ImageLimit.Check(options.MaskColumnName, row, mask.Width, mask.Height, options.MaxImagePixels, "Mask");
            getImage?.Invoke(ref image);
            if (image is not null && (image.Width, image.Height) != (mask.Width, mask.Height))
            {
                throw new ArgumentException($"Mask column '{options.MaskColumnName}': row {row} is {mask.Width}x{mask.Height} but its image is {image.Width}x{image.Height}.", options.MaskColumnName);
            }

            var pixels = mask.Pixels;
            var red = mask.PixelFormat == MLPixelFormat.Bgra32 ? 2 : 0;
            var classes = new byte[_height * _width];
            for (var y = 0; y < _height; y++)
            {
                var sourceY = Nearest(y, _height, mask.Height);
                for (var x = 0; x < _width; x++)
                {
                    var at = 4 * ((sourceY * mask.Width) + Nearest(x, _width, mask.Width));
                    if (pixels[at] != pixels[at + 1] || pixels[at + 1] != pixels[at + 2] || pixels[at + 3] != 255)
                    {
                        throw new ArgumentException($"Mask column '{options.MaskColumnName}': row {row} has a pixel that is not an opaque gray value (RGBA {pixels[at + red]}, {pixels[at + 1]}, {pixels[at + 2 - red]}, {pixels[at + 3]}) at ({Nearest(x, _width, mask.Width)}, {sourceY}); masks hold one class id per pixel in gray, 8 bits.", options.MaskColumnName);
                    }

                    classes[(y * _width) + x] = Class(pixels[at + red], ignore, row);
                }
            }

            _masks.Add(classes);
        };
    }

    private Action<int> BindKeys(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var keys = (int)((KeyDataViewType)((VectorDataViewType)column.Type).ItemType).Count;
        ClassCount = keys;
        var getKeys = cursor.GetGetter<VBuffer<uint>>(column);
        VBuffer<uint> buffer = default;
        return row =>
        {
            getKeys(ref buffer);
            if (buffer.Length != _height * _width)
            {
                throw new ArgumentException($"Mask column '{options.MaskColumnName}': row {row} has {buffer.Length} values but the images are {_width}x{_height} = {_height * _width} pixels.", options.MaskColumnName);
            }

            var classes = new byte[buffer.Length];
            var position = 0;
            foreach (var key in buffer.DenseValues())
            {
                classes[position++] = key == 0 ? MaskTargets.Ignore
                    : key <= keys ? (byte)(key - 1)
                    : throw new ArgumentException($"Mask column '{options.MaskColumnName}': row {row} has key {key} at pixel {position}, but the key type has {keys} values.", options.MaskColumnName);
            }

            _masks.Add(classes);
        };
    }

    /// <summary>The source index whose pixel centre is nearest to output pixel <paramref name="i"/>'s centre, (i + ½)·source/output − ½ rounded (the images' resize is centred the same way).</summary>
    public static int Nearest(int i, int output, int source) => (int)(((2L * i) + 1) * source / (2L * output));

    private int? IgnoreValue() => options.IgnoreValue ?? (options.MaskValues?.ContainsKey(255) == true ? null : 255);

    private byte Class(byte value, int? ignore, int row)
    {
        if (value == ignore)
        {
            return MaskTargets.Ignore;
        }

        if (options.MaskValues is null)
        {
            var limit = ClassCount == 0 ? MaskTargets.Ignore : ClassCount;
            return value < limit ? value : throw BadValue(value, row, $"a class id below {limit}");
        }

        return options.MaskValues.TryGetValue(value, out var id) ? (byte)id : throw BadValue(value, row, $"one of the mapped values {string.Join(", ", options.MaskValues.Keys.Order())}");
    }

    private ArgumentException BadValue(byte value, int row, string expected) =>
        new($"Mask column '{options.MaskColumnName}': row {row} has the value {value}, which is neither {expected} nor the ignore value{(IgnoreValue() is { } ignore ? $" ({ignore})" : " (none)")}.", options.MaskColumnName);
}
