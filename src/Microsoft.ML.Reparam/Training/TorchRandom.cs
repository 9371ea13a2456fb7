using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// Torch's default generator is one per process. Network initialisation draws from it, so seeding and building happen
/// under one lock: fits running at the same time each get the weights their seed gives alone. Everything random after
/// initialisation uses generators of its own (<see cref="EpochRunner"/>).
/// </summary>
internal static class TorchRandom
{
    private static readonly Lock _gate = new();

    /// <summary>Seeds the default generator with <paramref name="seed"/> and runs <paramref name="create"/> before any other fit may draw from it.</summary>
    public static T Seeded<T>(int seed, Func<T> create)
    {
        lock (_gate)
        {
            manual_seed(seed);
            return create();
        }
    }
}
