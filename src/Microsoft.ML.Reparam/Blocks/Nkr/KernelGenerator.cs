namespace Microsoft.ML.Reparam.Blocks.Nkr;

/// <summary>The non-linear networks that map base kernels to the kernel a convolution uses (docs/nkr.md).</summary>
public enum KernelGenerator
{
    /// <summary>No generator: the source kernel is used as is.</summary>
    None,

    /// <summary>A. Two M×M convolutions over the kernel tensor with a GELU between them (residual).</summary>
    ActivationMlp,

    /// <summary>B. Squeeze-and-excitation: pool K×K, FC → ReLU → FC → sigmoid gates per (filter, input channel).</summary>
    SqueezeExcitation,

    /// <summary>C. Self-attention across filters: softmax(QKᵀ/√d)·V added to the kernel (residual).</summary>
    SelfAttention,

    /// <summary>D. Channel attention: average- and max-pooled K×K, shared FC → ReLU → FC, summed, sigmoid gates.</summary>
    ChannelAttention,

    /// <summary>E. Split attention: N kernels, pooled, FC → ReLU → N FCs, softmax across splits, weighted sum.</summary>
    SplitAttention,

    /// <summary>F. Gated feed-forward: layer norm → two FCs, GELU of one gating the other → FC (residual).</summary>
    GatedFeedForward,
}
