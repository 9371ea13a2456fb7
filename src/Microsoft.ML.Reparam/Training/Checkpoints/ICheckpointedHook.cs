namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>A training hook with state of its own beyond the model's weights (for example the reactivations so far).</summary>
internal interface ICheckpointedHook
{
    /// <summary>Returns the hook's state as text.</summary>
    string SaveState();

    /// <summary>Restores the state <see cref="SaveState"/> returned.</summary>
    void RestoreState(string state);
}
