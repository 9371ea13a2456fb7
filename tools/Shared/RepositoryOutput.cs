namespace Microsoft.ML.Reparam.Tools;

/// <summary>
/// Finds another project's build output from this one's: every project of the repository builds to
/// &lt;repository&gt;/&lt;folder&gt;/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/, so a sibling's file is at the same
/// configuration and target framework under its own folder.
/// </summary>
internal static class RepositoryOutput
{
    /// <summary>Returns the path of <paramref name="file"/> in the output of the project at <paramref name="project"/> (relative to the repository, e.g. "test/TrainingChild").</summary>
    public static string Of(string project, string file) => Path.Combine(Root, project, "bin", Output.Parent!.Name, Output.Name, file);

    /// <summary>Gets the repository's root folder.</summary>
    public static string Root => Output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;

    /// <summary>Gets the name of this build's configuration (Debug, Release).</summary>
    public static string Configuration => Output.Parent!.Name;

    private static DirectoryInfo Output => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
}
