using TorchSharp;

namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// A block that is, in eval mode, one convolution: every reparameterizable block answers the same
/// question, "give me the equivalent kernel and bias". Folding composes these answers and knows
/// nothing else about the block.
/// </summary>
internal interface IReparamBlock
{
    /// <summary>Gets the shape of the equivalent convolution.</summary>
    ConvGeometry Geometry { get; }

    /// <summary>
    /// Returns the kernel <c>[out, in/groups, K, K]</c> and bias <c>[out]</c> such that
    /// <c>conv2d(x, kernel, bias, stride, K/2, groups)</c> equals the block's eval-mode output
    /// (batch-norm layers use their running statistics). The result is differentiable with respect
    /// to the block's parameters (online reparameterization trains through it); callers that only
    /// fold wrap the call in <c>torch.no_grad()</c>. The caller owns the returned tensors.
    /// </summary>
    /// <returns>The equivalent kernel and bias.</returns>
    (torch.Tensor Kernel, torch.Tensor Bias) GetEquivalentKernelAndBias();
}
