using Microsoft.ML.Reparam.Torch;

// Tests that touch TorchSharp share one native runtime and its global seed: run them one at a time.
[assembly: DoNotParallelize]

namespace Microsoft.ML.Reparam.Tests;

/// <summary>Runs once before any test.</summary>
[TestClass]
public static class TestRun
{
    /// <summary>
    /// Checks libtorch's convolution as a fit does first (docs/training.md, "Wrong convolutions"), so that tests which
    /// run models without fitting see the same, correct convolutions on every CPU.
    /// </summary>
    [AssemblyInitialize]
    public static void CheckConvolutions(TestContext context) => ConvolutionCheck.Ensure();
}
