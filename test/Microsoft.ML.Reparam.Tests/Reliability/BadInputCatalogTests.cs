using Microsoft.ML.Reparam.Robustness;

namespace Microsoft.ML.Reparam.Tests.Reliability;

/// <summary>Every case of the bad-input catalogue gives its exception type with a message that names the problem.</summary>
[TestClass]
public sealed class BadInputCatalogTests
{
    public static IEnumerable<object[]> Cases => BadInputCatalog.All.Select((c, i) => new object[] { i, c.ToString() });

    [TestMethod]
    public void TheCatalogueCoversEveryTaskWithAtLeastFortyCases()
    {
        Assert.IsGreaterThanOrEqualTo(40, BadInputCatalog.All.Count);
        CollectionAssert.IsSubsetOf(new[] { "classification", "segmentation", "super-resolution", "denoising", "checkpoint", "model file", "output folder", "options" }, BadInputCatalog.All.Select(c => c.Task).Distinct().ToList());
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void ABadInputGivesAClearError(int index, string name)
    {
        var outcome = BadInputCatalog.All[index].Try(TimeSpan.FromMinutes(2));

        Assert.AreEqual(BadInputResult.Clear, outcome.Result, $"{name}: expected {outcome.Case.Expected.Name} naming \"{outcome.Case.Names}\"; got {outcome.Detail}");
    }
}
