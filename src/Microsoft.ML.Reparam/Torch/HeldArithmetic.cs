using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Torch;

/// <summary>
/// Tensor arithmetic whose scalars are held for the native call (docs/training.md, "Native calls"): TorchSharp's
/// operators make temporaries — <c>a + b</c> passes an implicit <c>alpha</c> of 1, <c>a * 0.5</c> converts 0.5 — that
/// the collector can free during the call. Each method runs the TorchSharp operation the operator runs, so the numbers
/// are the same. The test <c>NativeSafety/TemporaryScalarTests</c> fails when the library calls such an operator.
/// </summary>
internal static class HeldArithmetic
{
    /// <summary>Returns <paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, HeldScalars.One);

    /// <summary>Adds <paramref name="right"/> to <paramref name="left"/> in place.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, HeldScalars.One);

    /// <summary>Returns <paramref name="left"/> + <paramref name="right"/>.</summary>
    public static Tensor Plus(this Tensor left, double right)
    {
        using var held = right.ToScalar();
        return left.add(held, HeldScalars.One);
    }

    /// <summary>Returns <paramref name="left"/> + <paramref name="right"/>, keeping an integral tensor integral.</summary>
    public static Tensor Plus(this Tensor left, long right)
    {
        using var held = right.ToScalar();
        return left.add(held, HeldScalars.One);
    }

    /// <summary>Returns <paramref name="left"/> · <paramref name="right"/>, keeping an integral tensor integral.</summary>
    public static Tensor Times(this Tensor left, long right)
    {
        using var held = right.ToScalar();
        return left.mul(held);
    }

    /// <summary>Returns <paramref name="left"/> · <paramref name="right"/>.</summary>
    public static Tensor Times(this Tensor left, double right)
    {
        using var held = right.ToScalar();
        return left.mul(held);
    }

    /// <summary>Multiplies <paramref name="left"/> by <paramref name="right"/> in place.</summary>
    public static Tensor TimesInPlace(this Tensor left, double right)
    {
        using var held = right.ToScalar();
        return left.mul_(held);
    }

    /// <summary>Returns <paramref name="left"/> / <paramref name="right"/>.</summary>
    public static Tensor DividedBy(this Tensor left, double right)
    {
        using var held = right.ToScalar();
        return left.div(held);
    }

    /// <summary>Returns <paramref name="value"/> clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Tensor Clamped(this Tensor value, double min, double max)
    {
        using var heldMin = min.ToScalar();
        using var heldMax = max.ToScalar();
        return value.clamp(heldMin, heldMax);
    }

    /// <summary>Clamps <paramref name="value"/> to [<paramref name="min"/>, <paramref name="max"/>] in place.</summary>
    public static Tensor ClampInPlace(this Tensor value, double min, double max)
    {
        using var heldMin = min.ToScalar();
        using var heldMax = max.ToScalar();
        return value.clamp_(heldMin, heldMax);
    }

    /// <summary>Returns <paramref name="value"/> clamped from below at <paramref name="min"/>.</summary>
    public static Tensor AtLeast(this Tensor value, double min)
    {
        using var held = min.ToScalar();
        return value.clamp_min(held);
    }

    /// <summary>Returns <paramref name="value"/>² (TorchSharp's <c>square</c> is <c>pow(2)</c> with a temporary 2).</summary>
    public static Tensor Squared(this Tensor value) => value.pow(HeldScalars.Two);

    /// <summary>Returns where <paramref name="value"/> differs from the integer <paramref name="other"/>.</summary>
    public static Tensor NotEqualTo(this Tensor value, long other)
    {
        using var held = other.ToScalar();
        return value.ne(held);
    }

    /// <summary>Returns <paramref name="value"/> with <paramref name="fill"/> where <paramref name="mask"/> is true.</summary>
    public static Tensor Filled(this Tensor value, Tensor mask, long fill)
    {
        using var held = fill.ToScalar();
        return value.masked_fill(mask, held);
    }

    /// <summary>Returns leaky ReLU of <paramref name="value"/>: x for x ≥ 0, <paramref name="negativeSlope"/>·x below.</summary>
    public static Tensor LeakyRelu(this Tensor value, double negativeSlope)
    {
        using var held = negativeSlope.ToScalar();
        return value.leaky_relu(held);
    }

    /// <summary>Returns a tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype, Device? device = null)
    {
        using var held = value.ToScalar();
        return full(shape, held, dtype, device);
    }
}
