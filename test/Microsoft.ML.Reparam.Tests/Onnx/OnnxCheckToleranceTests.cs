using Microsoft.ML.Reparam.Folding;

namespace Microsoft.ML.Reparam.Tests.Onnx;

/// <summary>The fit's ONNX check: absolute for outputs within ±1, relative to the output's magnitude above (a wide residual classifier's logits exceeded the old absolute bound).</summary>
[TestClass]
public sealed class OnnxCheckToleranceTests
{
    private static readonly FoldError ExactFold = new(1e-6, 1e-7);

    [TestMethod]
    public void LargeLogitsWithASmallRelativeDifferencePass()
    {
        FoldCheck.ThrowIfInexact(new FoldReport(ExactFold, 1.53e-4, 64) { OnnxMaxScaledError = 1.53e-5 }, FoldError.Float32Tolerance);
    }

    [TestMethod]
    public void AScaledDifferenceAboveTheToleranceFailsNamingBothMeasures()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => FoldCheck.ThrowIfInexact(new FoldReport(ExactFold, 3e-4, 64) { OnnxMaxScaledError = 3e-4 }, FoldError.Float32Tolerance));
        StringAssert.Contains(error.Message, "3.00E-004 (max abs; 3.00E-004 relative to outputs larger than 1) on 64 held-back images");
    }
}
