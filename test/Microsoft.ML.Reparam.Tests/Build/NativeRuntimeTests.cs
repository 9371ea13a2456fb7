using Microsoft.ML.Reparam.Build;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Tests.Build;

[TestClass]
public sealed class NativeRuntimeTests
{
    [TestMethod]
    public void TorchInitializesAndRunsConvolutionForwardAndBackward()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var input = ones(1, 1, 4, 4);
        var weight = full(new long[] { 2, 1, 3, 3 }, 0.5f).requires_grad_();
        var output = nn.functional.conv2d(input, weight, padding: [1, 1]);

        // The centre pixel sees all nine ones; a corner sees four.
        Assert.AreEqual(4.5f, output[0, 0, 1, 1].item<float>(), 1e-6f);
        Assert.AreEqual(2.0f, output[0, 0, 0, 0].item<float>(), 1e-6f);

        output.sum().backward();
        // d(sum)/dw for the centre tap counts every output position: 16; a corner tap counts 9.
        Assert.AreEqual(16f, weight.grad![0, 0, 1, 1].item<float>(), 1e-6f);
        Assert.AreEqual(9f, weight.grad![0, 0, 0, 0].item<float>(), 1e-6f);
    }

    [TestMethod]
    public void PatcherMakesTheNeedWeakClearsTheSymbolAndIsIdempotent()
    {
        var original = FindPackagedLibTorchSharp();
        var directory = Directory.CreateTempSubdirectory("reparam-elf-");
        try
        {
            var copy = Path.Combine(directory.FullName, "libLibTorchSharp.so");
            File.Copy(original, copy);
            var before = File.ReadAllBytes(copy);

            Assert.AreEqual(ElfPatchResult.Patched, ElfVersionNeedPatcher.Patch(copy, "GLIBCXX_3.4.32", "_ZSt21ios_base_library_initv"));
            var after = File.ReadAllBytes(copy);
            var changed = Enumerable.Range(0, before.Length).Count(i => before[i] != after[i]);

            // One byte of vna_flags and the two-byte versym entries of the symbol (it appears once in .dynsym).
            Assert.AreEqual(before.Length, after.Length);
            Assert.IsTrue(changed is >= 2 and <= 3, $"{changed} bytes changed");
            Assert.AreEqual(ElfPatchResult.AlreadyPatched, ElfVersionNeedPatcher.Patch(copy, "GLIBCXX_3.4.32", "_ZSt21ios_base_library_initv"));
            CollectionAssert.AreEqual(after, File.ReadAllBytes(copy));
            Assert.AreEqual(ElfPatchResult.NotNeeded, ElfVersionNeedPatcher.Patch(copy, "GLIBCXX_9.9.99", "_ZSt21ios_base_library_initv"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void PatcherRefusesWhenAnotherSymbolNeedsTheVersion()
    {
        var original = FindPackagedLibTorchSharp();
        var directory = Directory.CreateTempSubdirectory("reparam-elf-");
        try
        {
            var copy = Path.Combine(directory.FullName, "libLibTorchSharp.so");
            File.Copy(original, copy);
            var before = File.ReadAllBytes(copy);
            Assert.ThrowsExactly<InvalidDataException>(() => ElfVersionNeedPatcher.Patch(copy, "GLIBCXX_3.4.32", "someOtherSymbol"));
            CollectionAssert.AreEqual(before, File.ReadAllBytes(copy));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void HostLibStdCxxIsReadForVersionDefinitions()
    {
        var libStdCxx = ElfVersionNeedPatcher.LibStdCxxCandidates().FirstOrDefault();
        Assert.IsNotNull(libStdCxx, "no libstdc++.so.6 found");
        Assert.IsTrue(ElfVersionNeedPatcher.DefinesVersion(libStdCxx, "GLIBCXX_3.4"));
        Assert.IsFalse(ElfVersionNeedPatcher.DefinesVersion(libStdCxx, "GLIBCXX_99.0"));
    }

    private static string FindPackagedLibTorchSharp()
    {
        // The unpatched original in the NuGet cache; the test reads it and never writes it.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var found = Directory.EnumerateFiles(Path.Combine(packages, "torchsharp"), "libLibTorchSharp.so", SearchOption.AllDirectories)
            .FirstOrDefault(path => path.Contains("linux-x64", StringComparison.Ordinal));
        Assert.IsNotNull(found, $"libLibTorchSharp.so not found under {packages}");
        return found;
    }
}
