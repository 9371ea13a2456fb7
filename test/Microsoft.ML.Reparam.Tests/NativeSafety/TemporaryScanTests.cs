namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// The scanner of <see cref="TemporaryScalarTests"/> on snippets whose answer is known, and the verdicts it gives
/// TorchSharp 0.107's members that the library uses (read from TorchSharp's IL: a TorchSharp update may change them).
/// </summary>
[TestClass]
public sealed class TemporaryScanTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ANumberConvertedToAScalarArgumentIsReported()
    {
        var violations = Scan("x.add_(1);");
        Assert.Contains(v => v.Kind == "conversion" && v.Message.StartsWith("implicit conversion of int to Scalar for 'scalar' of Tensor.add_(Scalar)", StringComparison.Ordinal), violations);
    }

    [TestMethod]
    public void AddingTwoTensorsIsReportedThroughTheOperatorsAlpha()
    {
        var violation = Assert.ContainsSingle(Scan("var z = x + y;"));
        Assert.AreEqual("call", violation.Kind);
        StringAssert.EndsWith(violation.Message, "Tensor.op_Addition(Tensor, Tensor) -> Tensor.add(Tensor) -> Scalar.op_Implicit(int)");
    }

    [TestMethod]
    public void AScalarTheCallerHoldsIsNotReported() => Assert.IsEmpty(Scan("var z = x.add(y, held);"));

    [TestMethod]
    public void AScalarHeldByAUsingDeclarationIsNotReported() => Assert.IsEmpty(Scan("using Scalar alpha = 2; var z = x.add(y, alpha);"));

    [TestMethod]
    public void AScalarInAPlainLocalIsReported() =>
        Assert.Contains(v => v.Kind == "conversion", Scan("Scalar alpha = 2; var z = x.add(y, alpha);"), "a local is dead after its last use: the JIT does not keep it alive during the call");

    [TestMethod]
    public void AToScalarPassedOnIsReportedButOneHeldIsNot()
    {
        var violation = Assert.ContainsSingle(Scan("var z = x.add(y, 2.0.ToScalar());"));
        StringAssert.StartsWith(violation.Message, "ToScalar() of double for 'alpha' of Tensor.add(Tensor, Scalar)");
        Assert.IsEmpty(Scan("using var alpha = 2.0.ToScalar(); var z = x.add(y, alpha);"));
    }

    [TestMethod]
    public void CreatingABatchNormIsReportedForItsForward()
    {
        var violation = Assert.ContainsSingle(Scan("var norm = nn.BatchNorm2d(4);"));
        Assert.AreEqual("creation", violation.Kind);
        StringAssert.StartsWith(violation.Message, "creates TorchSharp's BatchNorm2d, whose BatchNorm.forward(Tensor) makes a temporary Scalar: BatchNorm.forward(Tensor) -> Scalar.op_Implicit(int)");
    }

    [TestMethod]
    [DataRow("var z = torch.zeros(3);")]
    [DataRow("var z = x.sub(y);")]
    [DataRow("var z = x - y;")]
    [DataRow("var z = x * y;")]
    [DataRow("var z = x.eq(y);")]
    [DataRow("var z = x.clamp(held, held);")]
    [DataRow("var z = x.clamp(min: held);")] // the omitted max is a null Scalar: no conversion
    [DataRow("var z = x.pow(held);")]
    [DataRow("var z = x.item<float>();")]
    [DataRow("var z = torch.tensor(1.0f);")]
    [DataRow("var z = torch.tensor(new[] { 1.0f, 2.0f });")]
    [DataRow("var z = nn.Parameter(x);")]
    [DataRow("var z = new TorchSharp.Modules.Parameter(x, requires_grad: false);")]
    [DataRow("var z = nn.functional.batch_norm(x, y, y, training: true);")]
    [DataRow("var z = nn.functional.cross_entropy(x, y);")]
    [DataRow("var z = nn.utils.clip_grad_norm_(new[] { new TorchSharp.Modules.Parameter(x) }, 1.0);")]
    public void TorchSharpMembersThatMakeNoTemporary(string statement) => Assert.IsEmpty(Scan(statement));

    [TestMethod]
    [DataRow("var z = x.square();", "Tensor.square() -> Scalar.op_Implicit(int)")]
    [DataRow("x.add_(y);", "Tensor.add_(Tensor) -> Scalar.op_Implicit(int)")]
    [DataRow("x.add_(held);", "Tensor.add_(Scalar) -> Scalar.op_Implicit(int)")]
    [DataRow("var z = x * 0.5;", "Tensor.op_Multiply(Tensor, double) -> Scalar.op_Implicit(double)")]
    [DataRow("var z = nn.functional.leaky_relu(x, 0.1);", "functional.leaky_relu(Tensor, double, bool) -> Scalar.op_Implicit(double)")]
    [DataRow("var z = nn.PReLU(4, 0.25);", "new PReLU(long, double, Device, ScalarType?) -> Scalar.op_Implicit(double)")]
    [DataRow("var z = optim.SGD(new[] { new TorchSharp.Modules.Parameter(x) }, 0.1);", "SGD.step(Func<Tensor>) -> ")]
    public void TorchSharpMembersThatMakeATemporary(string statement, string witness)
    {
        var violations = Scan(statement);
        TestContext.WriteLine(string.Join("\n", violations.Select(v => v.Message)));
        Assert.Contains(v => v.Kind != "conversion" && v.Message.Contains(witness, StringComparison.Ordinal), violations);
    }

    private static IReadOnlyList<Violation> Scan(string statements)
    {
        var compilation = ScanCompilation.OfSnippet($$"""
            using TorchSharp;
            using static TorchSharp.torch;
            internal static class Snippet
            {
                internal static void Run(Tensor x, Tensor y, Scalar held)
                {
                    {{statements}}
                }
            }
            """);
        var errors = ScanCompilation.Errors(compilation);
        Assert.IsEmpty(errors, string.Join("\n", errors));
        return TemporaryScan.Run(compilation, AppContext.BaseDirectory, []);
    }
}
