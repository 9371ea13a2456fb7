namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>Fits running at the same time in one process share no random state: each gives what it gives alone.</summary>
[TestClass]
public sealed class IsolationTests
{
    [TestMethod]
    public void TwoConcurrentFitsWithDifferentSeedsEqualTheSameFitsRunOneAfterTheOther()
    {
        var alone = new[] { 1, 2 }.Select(Deployed).ToList();

        var together = new[] { 1, 2 }.Select(seed => Task.Run(() => Deployed(seed))).ToArray();
        Task.WaitAll(together);

        CollectionAssert.AreNotEqual(alone[0], alone[1]);
        CollectionAssert.AreEqual(alone[0], together[0].Result, "seed 1");
        CollectionAssert.AreEqual(alone[1], together[1].Result, "seed 2");
    }

    private static byte[] Deployed(int seed)
    {
        using var model = CheckpointedFit.Fit(new MLContext(seed), CheckpointedFit.Options(null, seed));
        return model.GetOnnxModel();
    }
}
