namespace Microsoft.ML.Reparam.Blocks;

/// <summary>The training-time structure of each convolution; every kind folds into the same plain convolution.</summary>
public enum BlockKind
{
    /// <summary>One K×K convolution with batch norm: the baseline, nothing to reparameterize.</summary>
    Plain,

    /// <summary>RepVGG: K×K, 1×1 and identity branches, each with batch norm.</summary>
    RepVgg,
}
