using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Hands ML.NET's image transforms copies of the caller's in-memory images, never the images themselves. ML.NET's
/// resize passes an image of the target size through and disposes it on the next row, and pixel extraction and
/// grayscale dispose their last input when the cursor closes (dotnet/machinelearning#7444); the caller owns its
/// images, so each getter here copies, and disposes its own previous copy when it is asked for the next one.
/// </summary>
internal static class CallerImageCopies
{
    /// <summary>Returns a view of <paramref name="data"/> whose image columns are copies.</summary>
    public static IDataView Of(IDataView data) => HasImages(data.Schema) ? new CopyingView(data) : data;

    /// <summary>Returns a row mapper that feeds <paramref name="inner"/> copies of the input row's images.</summary>
    public static IRowToRowMapper Of(IRowToRowMapper inner) => HasImages(inner.InputSchema) ? new CopyingMapper(inner) : inner;

    private static bool HasImages(DataViewSchema schema) => schema.Any(c => c.Type is ImageDataViewType);

    private static MLImage Copy(MLImage image)
    {
        var copy = MLImage.CreateFromPixels(image.Width, image.Height, image.PixelFormat, image.Pixels);
        copy.Tag = image.Tag;
        return copy;
    }

    /// <summary>The copies one row or cursor has handed out, one slot per getter.</summary>
    private sealed class Copies : IDisposable
    {
        private readonly List<MLImage?[]> _slots = [];

        public ValueGetter<TValue> Getter<TValue>(DataViewRow source, DataViewSchema.Column column)
        {
            var inner = source.GetGetter<TValue>(column);
            if (column.Type is not ImageDataViewType)
            {
                return inner;
            }

            var slot = new MLImage?[1];
            _slots.Add(slot);
            var getImage = (ValueGetter<MLImage>)(Delegate)inner;
            MLImage original = null!;
            ValueGetter<MLImage> copying = (ref MLImage value) =>
            {
                slot[0]?.Dispose();
                slot[0] = null;
                getImage(ref original);
                value = original is null ? null! : (slot[0] = Copy(original));
            };
            return (ValueGetter<TValue>)(Delegate)copying;
        }

        public void Dispose()
        {
            foreach (var slot in _slots)
            {
                slot[0]?.Dispose();
                slot[0] = null;
            }
        }
    }

    private sealed class CopyingView(IDataView source) : IDataView
    {
        public DataViewSchema Schema => source.Schema;

        public bool CanShuffle => source.CanShuffle;

        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new CopyingCursor(source.GetRowCursor(columnsNeeded, rand));

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [.. source.GetRowCursorSet(columnsNeeded, n, rand).Select(c => new CopyingCursor(c))];
    }

    private sealed class CopyingCursor(DataViewRowCursor source) : DataViewRowCursor
    {
        private readonly Copies _copies = new();

        public override DataViewSchema Schema => source.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override bool MoveNext() => source.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _copies.Getter<TValue>(source, column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _copies.Dispose();
                source.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CopyingRow(DataViewRow source) : DataViewRow
    {
        private readonly Copies _copies = new();

        public override DataViewSchema Schema => source.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _copies.Getter<TValue>(source, column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _copies.Dispose(); // the caller's row stays the caller's
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CopyingMapper(IRowToRowMapper inner) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inner.InputSchema;

        public DataViewSchema OutputSchema => inner.OutputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => inner.GetDependencies(dependingColumns);

        // Each prediction disposes the previous one's copy; ML.NET never disposes a prediction engine's rows
        // (dotnet/machinelearning#6579), so the last copy is left to its finalizer.
        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            inner.GetRow(new CopyingRow(input), activeColumns);
    }
}
