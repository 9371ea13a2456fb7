namespace Microsoft.ML.Reparam.Models;

/// <summary>The layout of a classifier's network; every layout trains with any block kind and folds to a plain graph.</summary>
public enum NetworkArchitecture
{
    /// <summary>A chain of blocks, each followed by ReLU (RepVGG-style); deploys as a plain chain.</summary>
    Vgg,

    /// <summary>A stem and residual blocks of two convolutions with identity or 1×1 shortcuts; deploys with Add nodes.</summary>
    ResNet,
}
