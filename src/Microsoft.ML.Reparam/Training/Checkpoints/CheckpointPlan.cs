namespace Microsoft.ML.Reparam.Training.Checkpoints;

/// <summary>Where a fit keeps its checkpoint, and the description of the run (options, task, data) a checkpoint must match to be resumed.</summary>
/// <param name="Directory">The checkpoint folder (created when missing).</param>
/// <param name="Run">Setting name → invariant text of its value.</param>
internal sealed record CheckpointPlan(string Directory, IReadOnlyDictionary<string, string> Run)
{
    /// <summary>The checkpoint file's name inside <see cref="Directory"/>.</summary>
    public const string FileName = "training.ckpt";

    /// <summary>Gets the checkpoint file.</summary>
    public string FilePath => Path.Combine(Directory, FileName);

    /// <summary>Creates the folder and checks that a file can be written there, before any training time is spent.</summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message names it.</exception>
    public void EnsureWritable()
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var probe = Path.Combine(Directory, $".{FileName}.{Guid.NewGuid():N}.probe");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"CheckpointDirectory '{Path.GetFullPath(Directory)}' cannot be written: {error.Message}", error);
        }
    }

    /// <summary>
    /// Takes the folder for this fit: an exclusive lock on <c>training.lock</c>, released when disposed or when the
    /// process ends, so two fits never write one checkpoint.
    /// </summary>
    /// <exception cref="IOException">Another fit holds the folder.</exception>
    public IDisposable Lock()
    {
        var path = Path.Combine(Directory, "training.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException error)
        {
            throw new IOException($"CheckpointDirectory '{Path.GetFullPath(Directory)}' is in use by another fit (it holds '{path}'); give each fit its own folder.", error);
        }
    }
}
