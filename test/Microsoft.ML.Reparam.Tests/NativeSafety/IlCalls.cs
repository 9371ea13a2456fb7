using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>Reads the calls (call, callvirt, newobj, ldftn, ldvirtftn) of TorchSharp's method bodies whose targets TorchSharp defines.</summary>
internal sealed class IlCalls(MetadataReader reader)
{
    // Operand types of every IL opcode, by opcode value (0xFE00 | second byte for the two-byte ones).
    private static readonly Dictionary<ushort, OperandType> Operands = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => (ushort)o.Value, o => o.OperandType);

    private static readonly HashSet<ushort> CallOpcodes = [0x28 /* call */, 0x6F /* callvirt */, 0x73 /* newobj */, 0xFE06 /* ldftn */, 0xFE07 /* ldvirtftn */];

    private readonly Dictionary<EntityHandle, IReadOnlyList<MethodDefinitionHandle>> _resolved = [];

    /// <summary>Returns the TorchSharp methods that <paramref name="body"/> calls, creates with, or takes the address of, each with whether the body returns its result at once.</summary>
    public List<(MethodDefinitionHandle Method, bool Returned)> Of(MethodBodyBlock body)
    {
        var il = body.GetILReader();
        var found = new List<(MethodDefinitionHandle, bool)>();
        while (il.RemainingBytes > 0)
        {
            var first = il.ReadByte();
            var opcode = first == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : first;
            var operand = Operands[opcode];
            if (CallOpcodes.Contains(opcode))
            {
                var targets = Resolve(MetadataTokens.EntityHandle(il.ReadInt32()));
                var next = il.Offset;
                var returned = il.RemainingBytes > 0 && il.ReadByte() == 0x2A; // ret
                il.Offset = next;
                found.AddRange(targets.Select(t => (t, returned)));
                continue;
            }
            var skip = operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 * il.ReadInt32(),
                _ => 4,
            };
            il.Offset += skip;
        }
        return found;
    }

    // A call target defined in TorchSharp: a method definition, a generic method's instantiation, or a member of a
    // generic TorchSharp type's instantiation (matched by name and signature, else all overloads of that name and arity).
    private IReadOnlyList<MethodDefinitionHandle> Resolve(EntityHandle target)
    {
        if (!_resolved.TryGetValue(target, out var methods))
        {
            _resolved[target] = methods = [.. Targets(target)];
        }
        return methods;
    }

    private IEnumerable<MethodDefinitionHandle> Targets(EntityHandle target)
    {
        switch (target.Kind)
        {
            case HandleKind.MethodDefinition:
                return [(MethodDefinitionHandle)target];
            case HandleKind.MethodSpecification:
                return Targets(reader.GetMethodSpecification((MethodSpecificationHandle)target).Method);
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)target);
                if (member.GetKind() != MemberReferenceKind.Method || TypeOf(member.Parent) is not { IsNil: false } type)
                {
                    return [];
                }
                var name = reader.GetString(member.Name);
                var signature = reader.GetBlobContent(member.Signature);
                var sameName = reader.GetTypeDefinition(type).GetMethods().Where(m => reader.GetString(reader.GetMethodDefinition(m).Name) == name).ToList();
                var exact = sameName.Where(m => reader.GetBlobContent(reader.GetMethodDefinition(m).Signature).SequenceEqual(signature)).ToList();
                return exact.Count > 0 ? exact : sameName.Where(m => ParameterCount(reader.GetMethodDefinition(m).Signature) == ParameterCount(member.Signature));
            default:
                return [];
        }
    }

    private TypeDefinitionHandle TypeOf(EntityHandle parent)
    {
        if (parent.Kind == HandleKind.TypeDefinition)
        {
            return (TypeDefinitionHandle)parent;
        }
        if (parent.Kind != HandleKind.TypeSpecification)
        {
            return default;
        }
        var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
        {
            return default;
        }
        blob.ReadSignatureTypeCode(); // class or valuetype
        var generic = blob.ReadTypeHandle();
        return generic.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)generic : default;
    }

    private int ParameterCount(BlobHandle signature)
    {
        var blob = reader.GetBlobReader(signature);
        var header = blob.ReadSignatureHeader();
        if (header.IsGeneric)
        {
            blob.ReadCompressedInteger();
        }
        return blob.ReadCompressedInteger();
    }
}
