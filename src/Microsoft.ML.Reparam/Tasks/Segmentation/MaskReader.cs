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
            throw new ArgumentException($"Mask column '{options.MaskColumnName}': the {rows} masks hold fewer than two classes; at least two are needed.", options.MaskColumnName);
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
            getMask(ref mask);
            if (mask is null)
            {
                throw new ArgumentException($"Mask column '{options.MaskColumnName}': row {row} has no mask.", options.MaskColumnName);
            }

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
                var sourceY = (int)((long)y * mask.Height / _height);
                for (var x = 0; x < _width; x++)
                {
                    var sourceX = (int)((long)x * mask.Width / _width);
                    classes[(y * _width) + x] = Class(pixels[(4 * ((sourceY * mask.Width) + sourceX)) + red], ignore, row);
                }
            }

            _masks.Add(classes);
        };
    }

    private Action<int> BindKeys(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = (VectorDataViewType)column.Type;
        var keys = (int)((KeyDataViewType)type.ItemType).Count;
        ClassCount = Math.Max(ClassCount, keys);
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
                classes[position++] = key == 0 ? MaskTargets.Ignore : (byte)(key - 1);
            }

            _masks.Add(classes);
        };
    }

    private int? IgnoreValue() => options.IgnoreValue ?? (options.MaskValues?.ContainsKey(255) == true ? null : 255);

    private byte Class(byte value, int? ignore, int row)
    {
        if (value == ignore)
        {
            return MaskTargets.Ignore;
        }

        if (options.MaskValues is null)
        {
            return ClassCount == 0 || value < ClassCount ? value : throw BadValue(value, row, $"a class id below {ClassCount}");
        }

        return options.MaskValues.TryGetValue(value, out var id) ? (byte)id : throw BadValue(value, row, $"one of the mapped values {string.Join(", ", options.MaskValues.Keys.Order())}");
    }

    private ArgumentException BadValue(byte value, int row, string expected) =>
        new($"Mask column '{options.MaskColumnName}': row {row} has the value {value}, which is neither {expected} nor the ignore value{(IgnoreValue() is { } ignore ? $" ({ignore})" : " (none)")}.", options.MaskColumnName);
}
