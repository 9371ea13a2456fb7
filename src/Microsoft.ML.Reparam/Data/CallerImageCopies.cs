using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Gives ML.NET's image transforms copies of the caller's in-memory images, never the images themselves. ML.NET's
/// resize passes an image of the target size through and disposes it on the next row, and pixel extraction and
/// grayscale dispose their last input when the cursor closes (dotnet/machinelearning#7444). The views here add one
/// column holding a copy of the image column's value; the in-process chain reads that column, and the caller's column
/// passes through untouched, so an output row still holds the caller's own image. Each copy is disposed when its
/// getter is asked for the next one, or with its cursor.
/// </summary>
internal static class CallerImageCopies
{
    /// <summary>Returns the name of the column of copies of <paramref name="imageColumn"/>.</summary>
    public static string CopyColumnName(string imageColumn) => imageColumn + ".ReparamCopy";

    /// <summary>Returns <paramref name="data"/> with a column of copies of the image column <paramref name="imageColumn"/>.</summary>
    public static IDataView With(IDataView data, string imageColumn) => new CopyingView(data, Extend(data.Schema, imageColumn));

    /// <summary>
    /// Returns a mapper that adds the copies to each input row and maps it with the mapper <paramref name="mapperFor"/>
    /// makes for the extended schema (ML.NET's mappers check that a row has the very schema they were made for).
    /// </summary>
    public static IRowToRowMapper With(DataViewSchema inputSchema, string imageColumn, Func<DataViewSchema, IRowToRowMapper> mapperFor)
    {
        var plan = Extend(inputSchema, imageColumn);
        return new CopyingMapper(mapperFor(plan.Schema), inputSchema, plan);
    }

    private static CopyPlan Extend(DataViewSchema schema, string imageColumn)
    {
        var image = schema.GetColumnOrNull(imageColumn);
        if (image?.Type is not ImageDataViewType)
        {
            throw new ArgumentException($"Image column '{imageColumn}' is missing or is not an image column.", nameof(imageColumn));
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(schema);
        builder.AddColumn(CopyColumnName(imageColumn), image.Value.Type);
        return new CopyPlan(builder.ToSchema(), image.Value.Index);
    }

    private static MLImage Copy(MLImage image)
    {
        var copy = MLImage.CreateFromPixels(image.Width, image.Height, image.PixelFormat, image.Pixels);
        copy.Tag = image.Tag;
        return copy;
    }

    /// <summary>The extended schema, and where its copy column reads from: the last column copies column <paramref name="ImageIndex"/>.</summary>
    private sealed record CopyPlan(DataViewSchema Schema, int ImageIndex)
    {
        public int SourceIndex(int index) => index == Schema.Count - 1 ? ImageIndex : index;

        public IEnumerable<DataViewSchema.Column> Sources(IEnumerable<DataViewSchema.Column> columns, DataViewSchema source) =>
            columns.Select(c => source[SourceIndex(c.Index)]).Distinct();
    }

    /// <summary>The getters of one row or cursor over the extended schema, and the copies they have handed out.</summary>
    private sealed class Copies(DataViewRow source, CopyPlan plan) : IDisposable
    {
        private readonly List<MLImage?[]> _slots = [];

        public bool IsActive(DataViewSchema.Column column) => source.IsColumnActive(source.Schema[plan.SourceIndex(column.Index)]);

        public ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != plan.Schema.Count - 1)
            {
                return source.GetGetter<TValue>(source.Schema[column.Index]);
            }

            var slot = new MLImage?[1];
            _slots.Add(slot);
            var getImage = source.GetGetter<MLImage>(source.Schema[plan.ImageIndex]);
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

    private sealed class CopyingView(IDataView source, CopyPlan plan) : IDataView
    {
        public DataViewSchema Schema => plan.Schema;

        public bool CanShuffle => source.CanShuffle;

        public long? GetRowCount() => source.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new CopyingCursor(source.GetRowCursor(plan.Sources(columnsNeeded, source.Schema), rand), plan);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [.. source.GetRowCursorSet(plan.Sources(columnsNeeded, source.Schema), n, rand).Select(c => new CopyingCursor(c, plan))];
    }

    private sealed class CopyingCursor(DataViewRowCursor source, CopyPlan plan) : DataViewRowCursor
    {
        private readonly Copies _copies = new(source, plan);

        public override DataViewSchema Schema => plan.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override bool MoveNext() => source.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _copies.IsActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _copies.Getter<TValue>(column);

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

    private sealed class CopyingRow(DataViewRow source, CopyPlan plan) : DataViewRow
    {
        private readonly Copies _copies = new(source, plan);

        public override DataViewSchema Schema => plan.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _copies.IsActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _copies.Getter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _copies.Dispose(); // the caller's row stays the caller's
            }

            base.Dispose(disposing);
        }
    }

    private sealed class CopyingMapper(IRowToRowMapper inner, DataViewSchema inputSchema, CopyPlan plan) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inputSchema;

        public DataViewSchema OutputSchema => inner.OutputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
            plan.Sources(inner.GetDependencies(dependingColumns), inputSchema);

        // Each prediction disposes the previous one's copy; ML.NET never disposes a prediction engine's rows
        // (dotnet/machinelearning#6579), so the last copy is left to its finalizer.
        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
            inner.GetRow(new CopyingRow(input, plan), activeColumns);
    }
}
