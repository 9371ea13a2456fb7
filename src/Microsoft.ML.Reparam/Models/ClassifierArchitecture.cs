using Microsoft.ML.Reparam.Blocks;

namespace Microsoft.ML.Reparam.Models;

/// <summary>The deployed shape of a VGG-style classifier: stages of equal-width blocks, global pooling, a linear head.</summary>
/// <param name="InputChannels">Image channels.</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="StageWidths">Output channels of each stage.</param>
/// <param name="StageDepths">Blocks in each stage.</param>
/// <param name="StageStrides">Stride of each stage's first block.</param>
/// <param name="KernelSize">Kernel size K of every block.</param>
internal sealed record ClassifierArchitecture(
    int InputChannels,
    int Height,
    int Width,
    int Classes,
    IReadOnlyList<int> StageWidths,
    IReadOnlyList<int> StageDepths,
    IReadOnlyList<int> StageStrides,
    int KernelSize = 3)
{
    /// <summary>Gets the convolution shape of every block, in order.</summary>
    /// <returns>One geometry per block.</returns>
    public IEnumerable<ConvGeometry> BlockGeometries()
    {
        Validate();
        var channels = InputChannels;
        for (var stage = 0; stage < StageWidths.Count; stage++)
        {
            for (var block = 0; block < StageDepths[stage]; block++)
            {
                var stride = block == 0 ? StageStrides[stage] : 1;
                yield return new ConvGeometry(channels, StageWidths[stage], KernelSize, stride);
                channels = StageWidths[stage];
            }
        }
    }

    /// <summary>
    /// Gets, per block, whether it is a downsampling position: the first block of every stage after the first, and any
    /// block with stride &gt; 1. Spectral downsampling puts a layer at each, even where the initial stride is 1, so that
    /// DiffStride can learn to downsample there.
    /// </summary>
    /// <returns>One flag per block, in the order of <see cref="BlockGeometries"/>.</returns>
    public IEnumerable<bool> DownsamplingPositions()
    {
        Validate();
        for (var stage = 0; stage < StageWidths.Count; stage++)
        {
            for (var block = 0; block < StageDepths[stage]; block++)
            {
                yield return block == 0 && (stage > 0 || StageStrides[stage] > 1);
            }
        }
    }

    /// <summary>Throws when the architecture is inconsistent.</summary>
    /// <exception cref="ArgumentException">Stage lists differ in length or hold a value below 1.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InputChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Width);
        ArgumentOutOfRangeException.ThrowIfLessThan(Classes, 2);
        if (StageWidths.Count == 0 || StageWidths.Count != StageDepths.Count || StageWidths.Count != StageStrides.Count)
        {
            throw new ArgumentException($"StageWidths ({StageWidths.Count}), StageDepths ({StageDepths.Count}) and StageStrides ({StageStrides.Count}) must have the same, non-zero length.");
        }

        if (StageWidths.Concat(StageDepths).Concat(StageStrides).Any(value => value < 1))
        {
            throw new ArgumentException("Stage widths, depths and strides must all be at least 1.");
        }
    }
}
