using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Blocks.Online;

/// <summary>
/// Parameters that produce a convolution kernel without seeing data: OREPA's squeezed branches, or the base kernels
/// that a non-linear generator transforms. <see cref="GeneratedKernelBlock"/> convolves with the kernel it makes.
/// </summary>
internal abstract class KernelSource : nn.Module
{
    /// <summary>Initializes a new instance of the <see cref="KernelSource"/> class.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="geometry">The shape of the kernel produced.</param>
    protected KernelSource(string name, ConvGeometry geometry)
        : base(name)
    {
        geometry.Validate();
        Geometry = geometry;
    }

    /// <summary>Gets the shape of the kernel produced.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Returns the kernel [out, in/groups, K, K], differentiable with respect to the parameters; the caller owns it.</summary>
    /// <returns>The kernel.</returns>
    public abstract Tensor Kernel();

    /// <summary>Returns a parameter of <paramref name="shape"/> with Kaiming-uniform initial values.</summary>
    /// <param name="a">The negative slope that sets the bound (0 for ReLU gain; √5 is PyTorch's default for convolutions).</param>
    /// <param name="shape">The shape.</param>
    /// <returns>The parameter.</returns>
    protected static TorchSharp.Modules.Parameter KaimingParameter(double a, params long[] shape)
    {
        var weight = empty(shape);
        using (no_grad())
        {
            nn.init.kaiming_uniform_(weight, a: a);
        }

        return nn.Parameter(weight);
    }
}
