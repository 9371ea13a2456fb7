namespace Microsoft.ML.Reparam.Data;

/// <summary>
/// Reads a task's targets (class keys, masks, target images) from the rows of an IDataView, in the same cursor pass
/// that reads the images, checking every value and naming the column and row of a bad one.
/// </summary>
internal interface ITargetReader
{
    /// <summary>Returns the columns it reads, or throws naming a missing column or a wrong type.</summary>
    IReadOnlyList<DataViewSchema.Column> Columns(DataViewSchema schema);

    /// <summary>Makes its getters on <paramref name="cursor"/>; the action reads the current row (its 0-based index given) for images of <paramref name="height"/>×<paramref name="width"/>.</summary>
    Action<int> Bind(DataViewRowCursor cursor, int height, int width);

    /// <summary>Returns the targets of the <paramref name="rows"/> rows read, or throws when they are unusable as a whole (one class only).</summary>
    TargetSet Build(int rows);
}
