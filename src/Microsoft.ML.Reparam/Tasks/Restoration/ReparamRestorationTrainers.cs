using Microsoft.ML.Reparam.Tasks;
using Microsoft.ML.Reparam.Tasks.Restoration;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Reparam;

/// <summary>
/// Trains an ECBSR-layout super-resolution network of reparameterizable blocks on an image column of high-quality
/// images (it makes the low-resolution inputs itself); the fitted transformer adds a column of upscaled images.
/// </summary>
public sealed class ReparamSuperResolutionTrainer : ReparamEstimator<ReparamRestorationTransformer>
{
    internal ReparamSuperResolutionTrainer(IHostEnvironment environment, ReparamSuperResolutionOptions options)
        : base(environment, options)
    {
        SuperResolutionTask.Validate((ReparamSuperResolutionOptions)Options);
    }

    private protected override ReparamTask CreateTask() => new SuperResolutionTask((ReparamSuperResolutionOptions)Options);

    private protected override ReparamRestorationTransformer CreateTransformer(FitResult fit, ReparamTask task) => new(fit, (RestorationTask)task);
}

/// <summary>
/// Trains a DnCNN-style denoiser of reparameterizable blocks on an image column of clean images (it adds the Gaussian
/// noise itself); the fitted transformer adds a column of denoised images.
/// </summary>
public sealed class ReparamDenoisingTrainer : ReparamEstimator<ReparamRestorationTransformer>
{
    internal ReparamDenoisingTrainer(IHostEnvironment environment, ReparamDenoisingOptions options)
        : base(environment, options)
    {
        DenoisingTask.Validate((ReparamDenoisingOptions)Options);
    }

    private protected override ReparamTask CreateTask() => new DenoisingTask((ReparamDenoisingOptions)Options);

    private protected override ReparamRestorationTransformer CreateTransformer(FitResult fit, ReparamTask task) => new(fit, (RestorationTask)task);
}
