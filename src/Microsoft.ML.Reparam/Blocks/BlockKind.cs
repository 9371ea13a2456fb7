namespace Microsoft.ML.Reparam.Blocks;

/// <summary>The training-time structure of each convolution; every kind folds into the same plain convolution.</summary>
public enum BlockKind
{
    /// <summary>One K×K convolution with batch norm: the baseline, nothing to reparameterize.</summary>
    Plain,

    /// <summary>RepVGG: K×K, 1×1 and identity branches, each with batch norm.</summary>
    RepVgg,

    /// <summary>ACB: K×K, 1×K and K×1 branches, each with batch norm.</summary>
    Acb,

    /// <summary>DBB: K×K, 1×1, 1×1 → average pooling and 1×1 → K×K branches, each with batch norm.</summary>
    Dbb,

    /// <summary>MobileOne-style: k parallel K×K branches, a 1×1 branch and identity, each with batch norm.</summary>
    MobileOne,

    /// <summary>ECB (edge-oriented, no batch norm): K×K, expand–squeeze and Sobel-x/Sobel-y/Laplacian branches.</summary>
    Ecb,

    /// <summary>OREPA (online): six linear branches scaled per channel and squeezed into one kernel every step, then one batch norm.</summary>
    Orepa,

    /// <summary>Non-linear kernel reparameterization: base kernels passed through a kernel generator network (<see cref="BlockSpec.Generator"/>), then batch norm.</summary>
    Nkr,

    /// <summary>
    /// One K×K convolution with bias and no batch norm: the deployed layer trained as it is — the plain baseline of
    /// restoration networks, which do without batch norm (ECBSR, EDSR).
    /// </summary>
    Conv,

    /// <summary>
    /// QARepVGG, the quantization-friendly RepVGG: K×K conv+BN, a 1×1 convolution and identity without batch norm,
    /// summed, then one batch norm. It folds like RepVGG and keeps the folded weights fit for INT8 (docs/quantization.md).
    /// </summary>
    QaRepVgg,
}
