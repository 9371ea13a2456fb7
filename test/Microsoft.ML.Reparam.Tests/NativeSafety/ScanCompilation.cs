using System.Collections.Immutable;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// Compiles C# with Roslyn the way the library's project does (latest language, nullable enabled, the SDK's implicit
/// global usings), against the assemblies the tests run with: the DLLs of the test's output folder and the runtime's.
/// </summary>
internal static class ScanCompilation
{
    private const string Library = "Microsoft.ML.Reparam";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, preprocessorSymbols: [RepositoryOutput.Configuration.ToUpperInvariant(), "TRACE", "NET", "NETCOREAPP", "NET10_0", "NET10_0_OR_GREATER"]);

    /// <summary>
    /// Compiles src/Microsoft.ML.Reparam: its .cs files and those its build generated in its obj folder for this
    /// configuration (the ONNX protobuf classes, the global usings, the assembly attributes).
    /// </summary>
    public static CSharpCompilation OfLibrary()
    {
        var project = Path.Combine(RepositoryOutput.Root, "src", Library);
        var generated = Path.Combine(project, "obj", RepositoryOutput.Configuration, TargetFramework);
        if (!File.Exists(Path.Combine(generated, "Onnx", "Onnx.cs")))
        {
            throw new InvalidOperationException($"The library's generated sources are missing from {generated}: build it in {RepositoryOutput.Configuration} first.");
        }
        var sources = Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsUnder(f, Path.Combine(project, "obj")) && !IsUnder(f, Path.Combine(project, "bin")))
            .Concat(Directory.EnumerateFiles(generated, "*.cs", SearchOption.AllDirectories));
        var trees = sources.AsParallel().Select(f => CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(f)), ParseOptions, f)).ToList();
        return Create(Library, trees);
    }

    /// <summary>Compiles one file of C#, named Snippet.cs, as a library.</summary>
    public static CSharpCompilation OfSnippet(string code) =>
        Create("Snippet", [CSharpSyntaxTree.ParseText(code, ParseOptions, "Snippet.cs")]);

    /// <summary>Gets the compilation's errors, formatted with their location.</summary>
    public static IReadOnlyList<string> Errors(Compilation compilation) =>
        [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())];

    private static CSharpCompilation Create(string name, IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create(name, trees, References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static string TargetFramework => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    // The test's output folder first (the versions the library was built against), then the runtime's assemblies;
    // one per file name. Not the library itself (its sources are compiled), nor this test assembly or the apps built
    // next to it (TrainingChild, StockMLNetConsumer), nor native DLLs.
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var excluded = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Library + ".dll", Path.GetFileName(typeof(ScanCompilation).Assembly.Location) };
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return [.. Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll").Order(StringComparer.Ordinal).Concat(platform)
            .Where(f => !excluded.Contains(Path.GetFileName(f)) && !File.Exists(Path.ChangeExtension(f, ".runtimeconfig.json")))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Where(HasMetadata)
            .Select(f => MetadataReference.CreateFromFile(f))];
    }

    private static bool HasMetadata(string file)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(file));
            return pe.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static bool IsUnder(string file, string folder) => file.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
