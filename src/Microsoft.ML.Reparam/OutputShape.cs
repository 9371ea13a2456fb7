using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Builds <see cref="SchemaShape.Column"/>s for <see cref="IEstimator{TTransformer}.GetOutputSchema"/>. ML.NET keeps that
/// constructor internal (its own estimators share assemblies with it), so it is reached by reflection, once.
/// </summary>
internal static class OutputShape
{
    private static readonly ConstructorInfo ColumnConstructor = typeof(SchemaShape.Column)
        .GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
        .Single(c => c.GetParameters().Length == 5);

    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, params string[] textAnnotations) =>
        (SchemaShape.Column)ColumnConstructor.Invoke([name, kind, itemType, isKey, new SchemaShape(textAnnotations.Select(TextVector))]);

    /// <summary>An annotation that is a vector of text (<c>KeyValues</c> of a key column, <c>SlotNames</c> of a score vector).</summary>
    private static SchemaShape.Column TextVector(string annotation) =>
        (SchemaShape.Column)ColumnConstructor.Invoke([annotation, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false, new SchemaShape([])]);
}
