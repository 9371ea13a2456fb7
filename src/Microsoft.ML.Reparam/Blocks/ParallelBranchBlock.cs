using Microsoft.ML.Reparam.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// A block whose output is the sum of parallel branches on the same input, plus an identity batch norm when the
/// shapes allow it. Each branch is itself an <see cref="IReparamBlock"/>; the block's kernel is the sum of theirs
/// (docs/folding.md, F4). RepVGG, ACB, DBB, MobileOne and ECB are such blocks with different branch sets.
/// </summary>
internal abstract class ParallelBranchBlock : nn.Module<Tensor, Tensor>, IReparamBlock
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _branches;
    private readonly BatchNormalization? _identity;

    /// <summary>Initializes a new instance of the <see cref="ParallelBranchBlock"/> class.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="geometry">The folded convolution's shape.</param>
    /// <param name="branches">The branches; each must implement <see cref="IReparamBlock"/> with the block's stride and groups.</param>
    /// <param name="identity">Whether to add an identity batch norm (only when <see cref="ConvGeometry.AllowsIdentity"/>).</param>
    protected ParallelBranchBlock(string name, ConvGeometry geometry, IEnumerable<nn.Module<Tensor, Tensor>> branches, bool identity)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(branches);
        geometry.Validate();
        Geometry = geometry;
        var list = branches.ToArray();
        if (list.Length == 0 || list.Any(b => b is not IReparamBlock))
        {
            throw new ArgumentException("A parallel-branch block needs at least one branch, and every branch must implement IReparamBlock.", nameof(branches));
        }

        _branches = nn.ModuleList(list);
        _identity = identity && geometry.AllowsIdentity ? new BatchNormalization(geometry.OutChannels) : null;
        RegisterComponents();
    }

    /// <inheritdoc />
    public ConvGeometry Geometry { get; }

    /// <summary>Gets the number of parallel branches, the identity included.</summary>
    public int BranchCount => _branches.Count + (_identity is null ? 0 : 1);

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var output = _identity?.forward(input);
        foreach (var branch in _branches)
        {
            var y = branch.forward(input);
            output = output is null ? y : output.Plus(y);
        }

        return output!.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public (Tensor Kernel, Tensor Bias) GetEquivalentKernelAndBias()
    {
        using var scope = NewDisposeScope();
        var answers = _branches.Select(b => ((IReparamBlock)b).GetEquivalentKernelAndBias()).ToList();
        if (_identity is not null)
        {
            var identity = KernelAlgebra.IdentityKernel(Geometry.OutChannels, Geometry.Groups, Geometry.KernelSize, answers[0].Kernel);
            answers.Add(KernelAlgebra.FuseBatchNorm(identity, _identity));
        }

        var (kernel, bias) = KernelAlgebra.SumBranches(Geometry.KernelSize, answers);
        return (kernel.MoveToOuterDisposeScope(), bias.MoveToOuterDisposeScope());
    }

    /// <summary>Returns <paramref name="count"/> K×K conv+BN branches and a 1×1 conv+BN branch (RepVGG: count 1).</summary>
    /// <param name="geometry">The folded convolution's shape.</param>
    /// <param name="count">The number of K×K branches.</param>
    /// <returns>The branches.</returns>
    protected static IEnumerable<nn.Module<Tensor, Tensor>> DenseAndPointwise(ConvGeometry geometry, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, nameof(count));
        for (var i = 0; i < count; i++)
        {
            yield return new ConvBn(geometry);
        }

        if (geometry.KernelSize > 1)
        {
            yield return new ConvBn(geometry, kernelSize: 1);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _branches.Dispose();
            _identity?.Dispose();
        }

        base.Dispose(disposing);
    }
}
