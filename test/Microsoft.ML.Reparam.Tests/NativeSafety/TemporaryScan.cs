using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// Finds where a compilation hands native code a temporary Scalar or Tensor, one that nothing keeps alive while
/// native code uses its handle (TorchSharp frees it in its finalizer, which a garbage collection on another thread
/// can run mid-call): see <see cref="TemporaryWalker"/> for what is reported, <see cref="TorchSharpCallGraph"/> for
/// how TorchSharp's own methods are judged.
/// </summary>
internal static class TemporaryScan
{
    /// <summary>
    /// Returns the violations of <paramref name="compilation"/>, sorted by file and line, with paths relative to
    /// <paramref name="root"/>; TorchSharp methods in <paramref name="reviewed"/> count as safe.
    /// </summary>
    public static IReadOnlyList<Violation> Run(Compilation compilation, string root, IEnumerable<ReviewedMethod> reviewed)
    {
        var unsafeMethods = TorchSharpCallGraph.Instance.Analyze([.. reviewed.Select(r => r.Method)]);
        var found = new ConcurrentDictionary<Violation, byte>();
        var virtuals = new ConcurrentDictionary<ITypeSymbol, IReadOnlyList<(IMethodSymbol, string, string)>>(SymbolEqualityComparer.Default);
        Parallel.ForEach(compilation.SyntaxTrees, tree =>
        {
            var model = compilation.GetSemanticModel(tree);
            var walker = new TemporaryWalker(unsafeMethods, model, root, found, virtuals);
            foreach (var body in Bodies(model, tree.GetRoot()))
            {
                walker.Visit(body);
            }
        });
        return [.. found.Keys.OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line).ThenBy(v => v.Message, StringComparer.Ordinal)];
    }

    // The root operations of a tree: member bodies, field and property initializers, parameter defaults, attributes,
    // constructor initializers. A type declaration's own root (a primary constructor's) does not hide its members.
    private static IEnumerable<IOperation> Bodies(SemanticModel model, SyntaxNode node)
    {
        if (model.GetOperation(node) is { Parent: null } root)
        {
            yield return root;
            if (node is not BaseTypeDeclarationSyntax)
            {
                yield break;
            }
        }
        foreach (var child in node.ChildNodes())
        {
            foreach (var body in Bodies(model, child))
            {
                yield return body;
            }
        }
    }
}

/// <summary>A TorchSharp method reviewed by hand and found not to hand native code a temporary, with the reason.</summary>
/// <param name="Method">The method as witnesses name it, e.g. "Tensor.add(Tensor)".</param>
/// <param name="Reason">Why it is safe: what holds its Scalar or Tensor until the native call returns.</param>
internal sealed record ReviewedMethod(string Method, string Reason);

/// <summary>One place where the scanned code hands native code a temporary that nothing keeps alive.</summary>
/// <param name="File">The file, relative to the repository's root.</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Kind">"conversion" (the code makes the temporary), "call" (a TorchSharp method it calls makes one) or "creation" (a TorchSharp object it creates has a virtual method that makes one).</param>
/// <param name="Member">The TorchSharp member concerned, for summaries.</param>
/// <param name="Message">What happens there, with the path of calls that makes the temporary.</param>
internal sealed record Violation(string File, int Line, string Kind, string Member, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}
