using System.Diagnostics;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// The library hands native code no temporary Scalar or Tensor: one made from a number that nothing keeps alive,
/// which a garbage collection on another thread can free mid-call ("Unknown scalar type", or wrong numbers).
/// </summary>
[TestClass]
public sealed class TemporaryScalarTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void TheLibraryHandsNativeCodeNoTemporaryScalarOrTensor()
    {
        var watch = Stopwatch.StartNew();
        var compilation = ScanCompilation.OfLibrary();
        var errors = ScanCompilation.Errors(compilation);
        Assert.IsEmpty(errors, $"The library's sources do not compile here ({errors.Count} errors):\n{string.Join("\n", errors.Take(10))}");
        var compiled = watch.Elapsed;

        var violations = TemporaryScan.Run(compilation, RepositoryOutput.Root, ReviewedTorchSharpMethods.All);

        TestContext.WriteLine($"{compilation.SyntaxTrees.Count()} files compiled in {compiled.TotalSeconds:F1} s, {TorchSharpCallGraph.Instance.MethodCount} TorchSharp methods read and the library scanned in {(watch.Elapsed - compiled).TotalSeconds:F1} s: {violations.Count} violations");
        Assert.IsEmpty(violations, $"{violations.Count} places hand native code a temporary that nothing keeps alive (hold it with a using declaration, or review the TorchSharp method and add it to ReviewedTorchSharpMethods):\n{string.Join("\n", violations)}\n");
    }
}
