namespace Microsoft.ML.Reparam.Training;

/// <summary>What the training loop carries from one epoch to the next besides the model, optimizer and batch order.</summary>
internal sealed class TrainingState : IDisposable
{
    /// <summary>Gets or sets the epochs completed.</summary>
    public int Epoch { get; set; }

    public List<TrainingProgress> History { get; init; } = [];

    /// <summary>Gets or sets the best validation epoch so far (the last epoch when there is no validation).</summary>
    public int BestEpoch { get; set; }

    public double? BestMetric { get; set; }

    /// <summary>Gets or sets the weights of <see cref="BestEpoch"/>, or null.</summary>
    public ModelStateSnapshot? Best { get; set; }

    /// <summary>Gets or sets the training seconds of earlier processes (a resumed fit adds its own).</summary>
    public double EarlierSeconds { get; set; }

    public void Dispose() => Best?.Dispose();
}
