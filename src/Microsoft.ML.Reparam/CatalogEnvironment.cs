using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// The host environment behind an ML.NET catalog, so that the trainer logs to the user's MLContext. ML.NET exposes it
/// only to its own assemblies (an internal <c>Environment</c> property), so it is read by reflection; a new context is
/// used if a future ML.NET renames it.
/// </summary>
internal static class CatalogEnvironment
{
    public static IHostEnvironment Of(object catalog)
    {
        for (var type = catalog.GetType(); type is not null; type = type.BaseType)
        {
            var property = type.GetProperty("Environment", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly);
            if (property?.GetValue(catalog) is IHostEnvironment environment)
            {
                return environment;
            }
        }

        return new MLContext();
    }
}
