namespace Microsoft.ML.Reparam.Benchmarks.Measurement;

/// <summary>
/// While alive, background threads run <c>GC.Collect(); GC.WaitForPendingFinalizers();</c> in a loop, so that a
/// collection (and the finalizers it queues) can start while another thread is inside a native call. Dispose stops and
/// joins them.
/// </summary>
internal sealed class CollectorPressure : IDisposable
{
    private readonly Thread[] _threads;
    private volatile bool _stopping;
    private long _loops;

    public CollectorPressure(int threads = 1)
    {
        _threads = [.. Enumerable.Range(0, threads).Select(i => new Thread(Loop) { IsBackground = true, Name = $"collector {i}" })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Gets how many collect-and-wait rounds the threads have run so far.</summary>
    public long Loops => Interlocked.Read(ref _loops);

    public void Dispose()
    {
        _stopping = true;
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Loop()
    {
        while (!_stopping)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref _loops);
        }
    }
}
