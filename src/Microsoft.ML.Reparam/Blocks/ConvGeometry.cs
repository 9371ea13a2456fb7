namespace Microsoft.ML.Reparam.Blocks;

/// <summary>
/// The shape of the plain convolution a block folds into: a square <see cref="KernelSize"/> kernel,
/// padding <c>KernelSize / 2</c> (same-size output at stride 1), <see cref="Groups"/> groups.
/// </summary>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelSize">Odd kernel size K.</param>
/// <param name="Stride">Stride, 1 or more.</param>
/// <param name="Groups">Groups; divides both channel counts (equal to them for depthwise).</param>
internal readonly record struct ConvGeometry(int InChannels, int OutChannels, int KernelSize = 3, int Stride = 1, int Groups = 1)
{
    /// <summary>Gets the padding on each side, <c>KernelSize / 2</c>.</summary>
    public int Padding => KernelSize / 2;

    /// <summary>Gets the input channels each filter sees.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Gets a value indicating whether an identity branch fits (same channels, stride 1).</summary>
    public bool AllowsIdentity => InChannels == OutChannels && Stride == 1;

    /// <summary>Gets the shape of the folded kernel, [out, in/groups, K, K].</summary>
    public long[] KernelShape => [OutChannels, InChannelsPerGroup, KernelSize, KernelSize];

    /// <summary>Throws when the geometry cannot describe a convolution.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, K is even, or groups do not divide the channels.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InChannels, nameof(InChannels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(OutChannels, nameof(OutChannels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(KernelSize, nameof(KernelSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Stride, nameof(Stride));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Groups, nameof(Groups));
        if (KernelSize % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(KernelSize), KernelSize, "The kernel size must be odd so that padding K/2 keeps the branches aligned.");
        }

        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Groups), Groups, $"Groups must divide both the input ({InChannels}) and output ({OutChannels}) channels.");
        }
    }
}
