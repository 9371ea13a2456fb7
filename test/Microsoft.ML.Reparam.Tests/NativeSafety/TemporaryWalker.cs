using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// Walks the operations of one syntax tree and records each temporary Scalar or Tensor it hands to native code: its own
/// (an implicit conversion, a ToScalar() that no <c>using</c> or field holds), those of the TorchSharp methods it
/// calls, and those of the virtual methods of the TorchSharp objects it creates.
/// </summary>
/// <param name="unsafeMethods">The TorchSharp methods that make temporaries.</param>
/// <param name="model">The semantic model of the tree walked.</param>
/// <param name="root">The folder that reported paths are relative to.</param>
/// <param name="found">The violations found, shared by the walkers of a compilation.</param>
/// <param name="virtuals">The unsafe virtual methods of the TorchSharp types met so far in this compilation, shared by its walkers.</param>
internal sealed class TemporaryWalker(UnsafeMethods unsafeMethods, SemanticModel model, string root, ConcurrentDictionary<Violation, byte> found,
    ConcurrentDictionary<ITypeSymbol, IReadOnlyList<(IMethodSymbol Method, string Kind, string Witness)>> virtuals) : OperationWalker
{
    public override void Visit(IOperation? operation)
    {
        switch (operation)
        {
            case IConversionOperation conversion when conversion.Conversion.IsUserDefined && TemporaryKind(conversion.Type) is { } kind:
                Temporary(conversion, kind, $"{(conversion.IsImplicit ? "implicit conversion" : "cast")} of {conversion.Operand.Type?.ToDisplayString()} to {kind}");
                break;
            case IConversionOperation conversion:
                Call(conversion, conversion.OperatorMethod);
                break;
            case IInvocationOperation invocation when unsafeMethods.Sink(invocation.TargetMethod) is { } kind:
                Temporary(invocation, kind, $"{invocation.TargetMethod.Name}() of {invocation.Instance?.Type?.ToDisplayString() ?? invocation.Arguments.FirstOrDefault()?.Value.Type?.ToDisplayString()}");
                break;
            case IInvocationOperation invocation:
                Call(invocation, invocation.TargetMethod);
                Creation(invocation, UnsafeMethods.InTorchSharp(invocation.TargetMethod) ? invocation.Type : null);
                break;
            case IObjectCreationOperation creation:
                Call(creation, creation.Constructor);
                Creation(creation, creation.Type);
                break;
            case IBinaryOperation binary:
                Call(binary, binary.OperatorMethod);
                break;
            case IUnaryOperation unary:
                Call(unary, unary.OperatorMethod);
                break;
            case ICompoundAssignmentOperation compound:
                Call(compound, compound.OperatorMethod);
                break;
            case IIncrementOrDecrementOperation increment:
                Call(increment, increment.OperatorMethod);
                break;
            case IPropertyReferenceOperation property:
                Accessors(property);
                break;
            case IMethodReferenceOperation reference:
                Call(reference, reference.Method);
                break;
            case IForEachLoopOperation { Syntax: CommonForEachStatementSyntax syntax } loop:
                var info = model.GetForEachStatementInfo(syntax);
                Call(loop, info.GetEnumeratorMethod);
                Call(loop, info.MoveNextMethod);
                Call(loop, info.CurrentProperty?.GetMethod);
                break;
        }
        base.Visit(operation);
    }

    // "Scalar" for TorchSharp.Scalar, "Tensor" for TorchSharp.torch.Tensor, otherwise null.
    private static string? TemporaryKind(ITypeSymbol? type) => type is INamedTypeSymbol named && UnsafeMethods.InTorchSharp(named)
        ? (named.Name, named.ContainingType?.Name) switch { ("Scalar", null) => "Scalar", ("Tensor", "torch") => "Tensor", _ => null }
        : null;

    // The code itself makes a Scalar or Tensor: fine if a using declaration or a field holds it, otherwise reported.
    private void Temporary(IOperation operation, string kind, string what)
    {
        var held = operation.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation { Parent: IUsingOperation or IUsingDeclarationOperation } } } } => true,
            IFieldInitializerOperation => true,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation } assignment => assignment.Value == operation,
            _ => false,
        };
        if (held)
        {
            return;
        }
        var (member, context) = operation.Parent switch
        {
            IArgumentOperation { Parameter: { ContainingSymbol: IMethodSymbol method } parameter } => (unsafeMethods.Display(method), $" for '{parameter.Name}' of {unsafeMethods.Display(method)}"),
            IBinaryOperation { OperatorMethod: { } method } => (unsafeMethods.Display(method), $" for an operand of {unsafeMethods.Display(method)}"),
            _ => ("(none)", ""),
        };
        Report(operation, "conversion", member, $"{what}{context}: a temporary {kind} nothing keeps alive");
    }

    private void Call(IOperation operation, IMethodSymbol? method)
    {
        if (method is not null && unsafeMethods.Sink(method) is null && unsafeMethods.IsUnsafe(method, out var kind, out var witness))
        {
            var name = unsafeMethods.Display(method);
            Report(operation, "call", name, $"calls TorchSharp's {name}, which makes a temporary {kind}: {witness}");
        }
    }

    private void Accessors(IPropertyReferenceOperation property)
    {
        var (get, set) = property.Parent switch
        {
            ISimpleAssignmentOperation assignment when assignment.Target == property => (false, true),
            ICompoundAssignmentOperation or IIncrementOrDecrementOperation or ICoalesceAssignmentOperation => (true, true),
            _ => (true, false),
        };
        Call(property, get ? property.Property.GetMethod : null);
        Call(property, set ? property.Property.SetMethod : null);
    }

    // A TorchSharp object whose virtual methods make temporaries: calls through a base reference (Module.forward,
    // Optimizer.step) reach them at run time, out of sight of this walker.
    private void Creation(IOperation operation, ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class } created || !UnsafeMethods.InTorchSharp(created))
        {
            return;
        }
        foreach (var (method, kind, witness) in virtuals.GetOrAdd(created.OriginalDefinition, UnsafeVirtuals))
        {
            var name = unsafeMethods.Display(method);
            Report(operation, "creation", $"{created.Name}: {name}", $"creates TorchSharp's {created.Name}, whose {name} makes a temporary {kind}: {witness}");
        }
    }

    // The virtual and override methods of a type and its TorchSharp bases, up to (without) the generic module bases.
    private IReadOnlyList<(IMethodSymbol, string, string)> UnsafeVirtuals(ITypeSymbol type)
    {
        var found = new List<(IMethodSymbol, string, string)>();
        for (var current = type as INamedTypeSymbol; current is not null && UnsafeMethods.InTorchSharp(current) && !IsModuleBase(current); current = current.BaseType)
        {
            foreach (var method in current.GetMembers().OfType<IMethodSymbol>().Where(m => m.IsVirtual || m.IsOverride))
            {
                if (unsafeMethods.IsUnsafe(method, out var kind, out var witness))
                {
                    found.Add((method, kind, witness));
                }
            }
        }
        return found;
    }

    // torch.nn.Module and the generic Module<T, TResult>, Module<T1, T2, TResult>... every module derives from.
    private static bool IsModuleBase(INamedTypeSymbol type) => type.Name == "Module" && type.ContainingType is { Name: "nn" };

    private void Report(IOperation operation, string kind, string member, string message)
    {
        var line = operation.Syntax.GetLocation().GetLineSpan();
        var path = Path.IsPathRooted(line.Path) ? Path.GetRelativePath(root, line.Path).Replace(Path.DirectorySeparatorChar, '/') : line.Path;
        found.TryAdd(new Violation(path, line.StartLinePosition.Line + 1, kind, member, message), 0);
    }
}
