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
