using Microsoft.ML.Reparam.Training.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Robustness;

/// <summary>Compares the training positions of two checkpoint folders.</summary>
internal static class CheckpointComparison
{
    public static string File(string folder) => Path.Combine(folder, CheckpointPlan.FileName);

    public static long Epoch(string folder) => CheckpointReader.Open(File(folder)).Int64("epoch");

    /// <summary>
    /// Compares every entry but the run description, history and clock — weights, optimizer, best epoch, batch order,
    /// generators, hooks. Returns the entries compared, those not bitwise equal, and the largest absolute difference
    /// over the model's tensors.
    /// </summary>
    public static (int Compared, IReadOnlyList<string> Different, double MaxAbsDiff) Compare(string folder, string otherFolder)
    {
        var (a, b) = (CheckpointReader.Open(File(folder)), CheckpointReader.Open(File(otherFolder)));
        var names = a.Names.Union(b.Names).Where(name => !name.StartsWith("run/", StringComparison.Ordinal) && name is not ("history" or "seconds")).ToList();
        var different = names.Where(name => !a.SameEntry(b, name)).ToList();
        var maxAbsDiff = 0.0;
        foreach (var name in names.Where(n => n.StartsWith("model/", StringComparison.Ordinal) && a.Contains(n) && b.Contains(n)))
        {
            using var scope = NewDisposeScope();
            var (x, y) = (a.Tensor(name).to(ScalarType.Float64), b.Tensor(name).to(ScalarType.Float64));
            maxAbsDiff = Math.Max(maxAbsDiff, x.shape.SequenceEqual(y.shape) ? (x - y).abs().max().item<double>() : double.PositiveInfinity);
        }

        return (names.Count, different, maxAbsDiff);
    }
}
