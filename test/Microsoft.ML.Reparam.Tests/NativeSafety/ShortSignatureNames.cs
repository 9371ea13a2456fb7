using System.Collections.Immutable;
using System.Reflection.Metadata;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// Names TorchSharp's methods the way a reader recognises them, "Tensor.add(Tensor, Scalar)": the declaring type's
/// simple name, the method's name and its parameters' short C# type names (read from the metadata signature).
/// </summary>
internal sealed class ShortSignatureNames(MetadataReader reader) : ISignatureTypeProvider<string, ShortSignatureNames.Generics>
{
    /// <summary>The names of the type parameters in scope of a signature: the declaring type's, then the method's.</summary>
    internal sealed record Generics(ImmutableArray<string> OfType, ImmutableArray<string> OfMethod);

    /// <summary>Gets the name of <paramref name="handle"/>, e.g. "Scalar.op_Implicit(int)", or "new BatchNorm2d(long, double)" for a constructor.</summary>
    public string Of(MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        var type = reader.GetTypeDefinition(method.GetDeclaringType());
        var generics = new Generics(ParameterNames(type.GetGenericParameters()), ParameterNames(method.GetGenericParameters()));
        var signature = method.DecodeSignature(this, generics);
        var name = reader.GetString(method.Name);
        var typeName = Simple(reader.GetString(type.Name));
        var parameters = string.Join(", ", signature.ParameterTypes);
        return name == ".ctor" ? $"new {typeName}({parameters})" : $"{typeName}.{name}({parameters})";
    }

    /// <summary>Gets the simple name of a type definition, without its generic arity ("Module`2" is "Module").</summary>
    public string TypeName(TypeDefinitionHandle handle) => Simple(reader.GetString(reader.GetTypeDefinition(handle).Name));

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Char => "char",
        PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Byte => "byte",
        PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort",
        PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint",
        PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong",
        PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double",
        PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Object => "object",
        PrimitiveTypeCode.Void => "void",
        PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint",
        _ => typeCode.ToString(),
    };

    public string GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => TypeName(handle);

    public string GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => Simple(metadata.GetString(metadata.GetTypeReference(handle).Name));

    public string GetTypeFromSpecification(MetadataReader metadata, Generics genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType switch
    {
        "Nullable" when typeArguments.Length == 1 => typeArguments[0] + "?",
        "ValueTuple" => $"({string.Join(", ", typeArguments)})",
        _ => $"{genericType}<{string.Join(", ", typeArguments)}>",
    };

    public string GetGenericTypeParameter(Generics genericContext, int index) => genericContext.OfType[index];

    public string GetGenericMethodParameter(Generics genericContext, int index) => genericContext.OfMethod[index];

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) => $"{elementType}[{new string(',', shape.Rank - 1)}]";

    public string GetByReferenceType(string elementType) => "ref " + elementType;

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPinnedType(string elementType) => elementType;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetFunctionPointerType(MethodSignature<string> signature) => $"delegate*<{string.Join(", ", signature.ParameterTypes.Append(signature.ReturnType))}>";

    private ImmutableArray<string> ParameterNames(GenericParameterHandleCollection parameters) =>
        [.. parameters.Select(p => reader.GetString(reader.GetGenericParameter(p).Name))];

    private static string Simple(string name) => name.IndexOf('`') is var tick and >= 0 ? name[..tick] : name;
}
