using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Microsoft.ML.Reparam.Tests.NativeSafety;

/// <summary>
/// Who calls whom among TorchSharp's own methods, read from the IL of TorchSharp.dll, and the methods that make a
/// Scalar or a Tensor from a number (the "sinks": <c>Scalar.op_Implicit</c>, <c>ScalarExtensionMethods.ToScalar*</c>,
/// <c>Tensor.op_Implicit</c>). Read once per test run: see <see cref="Instance"/>.
/// </summary>
internal sealed class TorchSharpCallGraph
{
    private static readonly Lazy<TorchSharpCallGraph> Loaded = new(() => new(typeof(TorchSharp.torch).Assembly.Location));

    private readonly MetadataReader _reader;
    private readonly ShortSignatureNames _names;
    private readonly Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>> _callers = [];
    private readonly Dictionary<MethodDefinitionHandle, string> _sinks = [];
    private readonly Dictionary<MethodDefinitionHandle, string> _display = [];

    private TorchSharpCallGraph(string path)
    {
        var pe = new PEReader(File.ReadAllBytes(path).ToImmutableArray());
        _reader = pe.GetMetadataReader();
        _names = new ShortSignatureNames(_reader);
        var calls = new IlCalls(_reader);
        foreach (var type in _reader.TypeDefinitions)
        {
            var typeName = FullName(type);
            foreach (var method in _reader.GetTypeDefinition(type).GetMethods())
            {
                if (SinkKind(typeName, _reader.GetString(_reader.GetMethodDefinition(method).Name)) is { } kind)
                {
                    _sinks[method] = kind;
                }
            }
        }
        foreach (var method in _reader.MethodDefinitions)
        {
            var address = _reader.GetMethodDefinition(method).RelativeVirtualAddress;
            foreach (var (callee, returned) in address == 0 ? [] : calls.Of(pe.GetMethodBody(address)).Distinct())
            {
                // A Tensor made from a number and returned at once is the method's result, like any Tensor it returns,
                // not a temporary (Tensor.eq(Tensor) returns one for a null argument).
                if (!(returned && _sinks.GetValueOrDefault(callee) == "Tensor"))
                {
                    (_callers.TryGetValue(callee, out var callers) ? callers : _callers[callee] = []).Add(method);
                }
            }
        }
    }

    /// <summary>Gets the graph of the TorchSharp.dll that the tests run with, read on first use.</summary>
    public static TorchSharpCallGraph Instance => Loaded.Value;

    /// <summary>Gets the number of TorchSharp methods whose IL was read.</summary>
    public int MethodCount => _reader.MethodDefinitions.Count;

    /// <summary>Returns "Scalar" or "Tensor" if <paramref name="method"/> makes one from a number, otherwise null.</summary>
    public string? Sink(MethodDefinitionHandle method) => _sinks.GetValueOrDefault(method);

    /// <summary>Gets the short name of <paramref name="method"/>, e.g. "Tensor.add(Tensor)".</summary>
    public string Display(MethodDefinitionHandle method)
    {
        lock (_display)
        {
            return _display.TryGetValue(method, out var name) ? name : _display[method] = _names.Of(method);
        }
    }

    /// <summary>
    /// Finds every method that reaches a sink through calls within TorchSharp, not through the methods in
    /// <paramref name="reviewedSafe"/> (short names as <see cref="Display"/> gives them), each with the next call of one shortest path.
    /// </summary>
    public UnsafeMethods Analyze(IReadOnlyCollection<string> reviewedSafe)
    {
        var safe = reviewedSafe.Count == 0 ? [] : _reader.MethodDefinitions.Where(m => reviewedSafe.Contains(Display(m))).ToHashSet();
        var unknown = reviewedSafe.Except(safe.Select(Display)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Not TorchSharp methods: {string.Join("; ", unknown)}", nameof(reviewedSafe));
        }
        var next = new Dictionary<MethodDefinitionHandle, MethodDefinitionHandle?>();
        var queue = new Queue<MethodDefinitionHandle>();
        foreach (var sink in _sinks.Keys)
        {
            next[sink] = null;
            queue.Enqueue(sink);
        }
        while (queue.TryDequeue(out var callee))
        {
            foreach (var caller in _callers.GetValueOrDefault(callee) ?? [])
            {
                if (!safe.Contains(caller) && next.TryAdd(caller, callee))
                {
                    queue.Enqueue(caller);
                }
            }
        }
        return new UnsafeMethods(this, next);
    }

    private static string? SinkKind(string type, string method) => (type, method) switch
    {
        ("TorchSharp.Scalar", "op_Implicit") => "Scalar",
        ("TorchSharp.ScalarExtensionMethods", _) when method.StartsWith("ToScalar", StringComparison.Ordinal) || method == "ToBFloat16Scalar" => "Scalar",
        ("TorchSharp.torch.Tensor", "op_Implicit") => "Tensor",
        _ => null,
    };

    private string FullName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var outer = type.GetDeclaringType();
        return (outer.IsNil ? _reader.GetString(type.Namespace) : FullName(outer)) + "." + _reader.GetString(type.Name);
    }
}
