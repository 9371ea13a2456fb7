using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Microsoft.CodeAnalysis;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// The TorchSharp methods that make a temporary Scalar or Tensor, themselves or through the TorchSharp methods they
/// call, each with one path to the method that makes it ("Tensor.add(Tensor) -> Scalar.op_Implicit(int)").
/// Methods are named by the Roslyn symbols of a compilation that references the same TorchSharp.dll.
/// </summary>
internal sealed class UnsafeMethods(TorchSharpCallGraph graph, IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle?> next)
{
    /// <summary>Gets the number of unsafe methods (sinks included).</summary>
    public int Count => next.Count;

    /// <summary>Returns whether <paramref name="symbol"/> is declared by TorchSharp.dll.</summary>
    public static bool InTorchSharp(ISymbol? symbol) => symbol?.ContainingAssembly?.Name == "TorchSharp";

    /// <summary>Returns "Scalar" or "Tensor" if <paramref name="method"/> makes one from a number (a conversion operator or ToScalar), otherwise null.</summary>
    public string? Sink(IMethodSymbol method) => Handle(method) is { } handle ? graph.Sink(handle) : null;

    /// <summary>Gets the short name of <paramref name="method"/>: TorchSharp's as in witnesses, others as C# shows them.</summary>
    public string Display(IMethodSymbol method) =>
        Handle(method) is { } handle ? graph.Display(handle) : method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    /// <summary>
    /// Returns whether calling <paramref name="method"/> (a TorchSharp method) makes a temporary, with the kind
    /// ("Scalar", "Tensor") and the path of calls that makes it.
    /// </summary>
    public bool IsUnsafe(IMethodSymbol method, out string kind, out string witness)
    {
        kind = witness = "";
        if (Handle(method) is not { } handle || !next.ContainsKey(handle))
        {
            return false;
        }
        var path = new List<string>();
        for (MethodDefinitionHandle? step = handle; step is { } current; step = next[current])
        {
            path.Add(graph.Display(current));
            kind = graph.Sink(current) ?? kind;
        }
        witness = string.Join(" -> ", path);
        return true;
    }

    /// <summary>Gets the method definition that TorchSharp.dll's metadata holds for <paramref name="method"/>, or null if it is not TorchSharp's.</summary>
    private static MethodDefinitionHandle? Handle(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!InTorchSharp(definition) || definition.MetadataToken == 0)
        {
            return null;
        }
        var handle = MetadataTokens.EntityHandle(definition.MetadataToken);
        return handle.Kind == HandleKind.MethodDefinition ? (MethodDefinitionHandle)handle : null;
    }
}
