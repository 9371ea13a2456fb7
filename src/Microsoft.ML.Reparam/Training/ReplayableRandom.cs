namespace Microsoft.ML.Reparam.Training;

/// <summary>
/// A seeded <see cref="Random"/> whose position can be checkpointed. Every draw made through it takes exactly one
/// sample of the seeded generator, so its state is (seed, draws) and <see cref="Restore"/> replays that many samples on
/// a fresh generator. The sequence equals <c>new Random(seed)</c> used directly (tested), so checkpointing changes no
/// result.
/// </summary>
internal sealed class ReplayableRandom
{
    private readonly int _seed;
    private Random _random;

    public ReplayableRandom(int seed)
    {
        _seed = seed;
        _random = new Random(seed);
    }

    /// <summary>Gets the number of samples drawn so far.</summary>
    public long Draws { get; private set; }

    /// <summary>Returns a value in [0, <paramref name="maxExclusive"/>).</summary>
    public int Next(int maxExclusive)
    {
        Draws++;
        return _random.Next(maxExclusive);
    }

    /// <summary>Shuffles <paramref name="values"/> in place, with the draws of <see cref="Random.Shuffle{T}(T[])"/>.</summary>
    public void Shuffle(int[] values)
    {
        for (var i = 0; i < values.Length - 1; i++)
        {
            Draws++;
            var j = _random.Next(i, values.Length);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>Moves to the position after <paramref name="draws"/> samples of the seed.</summary>
    public void Restore(long draws)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(draws);
        _random = new Random(_seed);
        for (var i = 0L; i < draws; i++)
        {
            _random.Next();
        }

        Draws = draws;
    }
}
