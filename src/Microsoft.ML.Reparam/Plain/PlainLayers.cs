namespace Microsoft.ML.Reparam.Plain;

/// <summary>One layer of a deployed plain CNN; weights are plain arrays, independent of TorchSharp.</summary>
public abstract record PlainLayer
{
    /// <summary>Gets the number of learned values the layer holds.</summary>
    public virtual long ParameterCount => 0;
}

/// <summary>A convolution with bias.</summary>
/// <param name="Weight">Kernel, row-major [out, in/groups, K, K].</param>
/// <param name="Bias">Bias, [out].</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="InChannelsPerGroup">Input channels per group.</param>
/// <param name="KernelSize">Square kernel size K.</param>
/// <param name="Stride">Stride.</param>
/// <param name="Padding">Zero padding on each side.</param>
/// <param name="Groups">Groups.</param>
public sealed record PlainConv(float[] Weight, float[] Bias, int OutChannels, int InChannelsPerGroup, int KernelSize, int Stride, int Padding, int Groups) : PlainLayer
{
    /// <inheritdoc />
    public override long ParameterCount => Weight.LongLength + Bias.LongLength;
}

/// <summary>Element-wise max(x, 0).</summary>
public sealed record PlainRelu : PlainLayer;

/// <summary>Max pooling over square windows without padding.</summary>
/// <param name="KernelSize">Window size.</param>
/// <param name="Stride">Stride.</param>
public sealed record PlainMaxPool(int KernelSize, int Stride) : PlainLayer;

/// <summary>Average over all spatial positions, giving [N, C].</summary>
public sealed record PlainGlobalAveragePool : PlainLayer;

/// <summary>A fully connected layer on [N, in].</summary>
/// <param name="Weight">Weights, row-major [out, in].</param>
/// <param name="Bias">Bias, [out].</param>
/// <param name="OutFeatures">Output features.</param>
/// <param name="InFeatures">Input features.</param>
public sealed record PlainLinear(float[] Weight, float[] Bias, int OutFeatures, int InFeatures) : PlainLayer
{
    /// <inheritdoc />
    public override long ParameterCount => Weight.LongLength + Bias.LongLength;
}

/// <summary>
/// A fixed separable linear resize Y = Rows·X·Columnsᵀ on every channel: the deployed form of spectral downsampling
/// (docs/diffstride.md, D4). The matrices are derived from the learned strides; they count as stored values.
/// </summary>
/// <param name="Rows">Row matrix, row-major [OutHeight, InHeight].</param>
/// <param name="Columns">Column matrix, row-major [OutWidth, InWidth].</param>
/// <param name="OutHeight">Output height.</param>
/// <param name="InHeight">Input height.</param>
/// <param name="OutWidth">Output width.</param>
/// <param name="InWidth">Input width.</param>
public sealed record PlainSpectralResize(float[] Rows, float[] Columns, int OutHeight, int InHeight, int OutWidth, int InWidth) : PlainLayer
{
    /// <inheritdoc />
    public override long ParameterCount => Rows.LongLength + Columns.LongLength;
}
