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
        // Trainer catalogs implement ML.NET's internal IInternalCatalog explicitly; the other catalogs have an
        // Environment property.
        var internalCatalog = catalog.GetType().GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog");
        if (internalCatalog?.GetProperty("Environment")?.GetValue(catalog) is IHostEnvironment owner)
        {
            return owner;
        }

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

    /// <summary>
    /// Reads a device setting the MLContext keeps on its environment (<c>GpuDeviceId</c>, <c>FallbackToCpu</c>); ML.NET
    /// exposes them to its own assemblies through an internal interface, so they are read by reflection.
    /// </summary>
    /// <typeparam name="T">The setting's value type.</typeparam>
    /// <param name="environment">The catalog's environment.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The value, or null when unset or not found.</returns>
    public static T? Setting<T>(IHostEnvironment environment, string name)
        where T : struct
    {
        var type = environment.GetType();
        var property = type.GetProperty(name, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            ?? type.GetInterfaces().Select(i => i.GetProperty(name)).FirstOrDefault(p => p is not null);
        return property?.GetValue(environment) is T value ? value : null;
    }

    /// <summary>
    /// Returns a check that is true once the environment's execution is canceled (<c>MLContext.CancelExecution</c>, internal
    /// to ML.NET and used by AutoML). ML.NET cancels the hosts registered on an environment, so the check registers one
    /// and reads its <c>IsCanceled</c> flag by reflection; it returns null if a future ML.NET has no such flag.
    /// </summary>
    /// <param name="environment">The catalog's environment.</param>
    /// <returns>The check, or null.</returns>
    public static Func<bool>? Cancellation(IHostEnvironment environment)
    {
        // A host registered on an environment that is already canceled is not canceled itself: read the root's flag too
        // (MLContext keeps its environment in a private field). Seeded, so registering takes no draw from the context.
        var host = environment.Register("Microsoft.ML.Reparam", seed: 0);
        var root = environment.GetType().GetField("_env", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(environment) ?? environment;
        var flags = new[] { host, root }.Select(o => (Owner: o, Flag: o.GetType().GetProperty("IsCanceled", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))).Where(f => f.Flag is not null).ToList();
        return flags.Count == 0 ? null : () => flags.Any(f => f.Flag!.GetValue(f.Owner) is true);
    }
}
