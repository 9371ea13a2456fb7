using Microsoft.ML.Reparam.Data;

namespace Microsoft.ML.Reparam.Tasks.Classification;

/// <summary>
/// Reads a key-typed label column into class indices 0..K−1, naming the row of a missing or out-of-range key; training
/// data must hold two classes or more, evaluation data may hold one.
/// </summary>
internal sealed class ClassLabelReader(string labelColumnName, int classCount, bool requireTwoClasses = true) : ITargetReader
{
    private readonly List<int> _labels = [];

    public IReadOnlyList<DataViewSchema.Column> Columns(DataViewSchema schema)
    {
        InputSchemaCheck.ClassNames(schema, labelColumnName);
        return [schema[labelColumnName]];
    }

    public Action<int> Bind(DataViewRowCursor cursor, int height, int width)
    {
        var getLabel = cursor.GetGetter<uint>(cursor.Schema[labelColumnName]);
        uint key = 0;
        return row =>
        {
            getLabel(ref key);
            if (key == 0)
            {
                throw new ArgumentException($"Label column '{labelColumnName}': row {row} has a missing label (key 0: a value outside the key's dictionary, or none).", labelColumnName);
            }

            if (key > classCount)
            {
                throw new ArgumentException($"Label column '{labelColumnName}': row {row} has key {key}, but the key type has {classCount} values (1..{classCount}).", labelColumnName);
            }

            _labels.Add((int)key - 1);
        };
    }

    public TargetSet Build(int rows)
    {
        if (requireTwoClasses && rows > 0 && _labels.Distinct().Count() < 2)
        {
            throw new ArgumentException($"Label column '{labelColumnName}': all {rows} rows have the same class ('{_labels[0] + 1}'); at least two classes are needed.", labelColumnName);
        }

        return new ClassTargets([.. _labels], classCount);
    }
}
