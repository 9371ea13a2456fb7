namespace Microsoft.ML.Reparam;

/// <summary>
/// How well predicted masks match true masks, over all pixels that are not ignored: pixel accuracy, intersection over
/// union per class (TP / (TP + FP + FN)) and its mean over the classes that occur in the truth or the prediction,
/// and the confusion matrix (rows: true class, columns: predicted class).
/// </summary>
/// <param name="PixelAccuracy">Correct pixels / counted pixels.</param>
/// <param name="MeanIoU">Mean of <paramref name="PerClassIoU"/> over the classes with a non-empty union.</param>
/// <param name="PerClassIoU">IoU of each class; NaN for a class in neither truth nor prediction.</param>
/// <param name="ConfusionMatrix">Pixel counts, [true class][predicted class].</param>
public sealed record SegmentationMetrics(double PixelAccuracy, double MeanIoU, IReadOnlyList<double> PerClassIoU, IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix)
{
    /// <summary>Computes the metrics of masks of class ids; pixels whose true value is <paramref name="ignoreValue"/> are not counted.</summary>
    /// <param name="masks">Pairs of true and predicted masks of equal length, values in 0..classCount−1 (or the ignore value in the truth).</param>
    /// <param name="classCount">The number of classes.</param>
    /// <param name="ignoreValue">The true value of pixels that are not counted, or null.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A pair differs in length, or holds a value outside the classes (named with its pair and position).</exception>
    public static SegmentationMetrics Compute(IEnumerable<(int[] Truth, int[] Predicted)> masks, int classCount, int? ignoreValue = null)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        var confusion = new long[classCount * classCount];
        var pair = 0;
        foreach (var (truth, predicted) in masks)
        {
            if (truth.Length != predicted.Length)
            {
                throw new ArgumentException($"Mask pair {pair}: the true mask has {truth.Length} pixels, the predicted one {predicted.Length}.", nameof(masks));
            }

            for (var i = 0; i < truth.Length; i++)
            {
                if (truth[i] == ignoreValue)
                {
                    continue;
                }

                if ((uint)truth[i] >= classCount || (uint)predicted[i] >= classCount)
                {
                    throw new ArgumentException($"Mask pair {pair}, pixel {i}: true {truth[i]}, predicted {predicted[i]}; classes are 0..{classCount - 1}.", nameof(masks));
                }

                confusion[(truth[i] * classCount) + predicted[i]]++;
            }

            pair++;
        }

        return FromConfusion(confusion, classCount);
    }

    /// <summary>Returns the metrics of a confusion matrix stored row-major, [true class × classes + predicted class].</summary>
    internal static SegmentationMetrics FromConfusion(long[] confusion, int classes)
    {
        var rows = new long[classes];
        var columns = new long[classes];
        long correct = 0;
        for (var t = 0; t < classes; t++)
        {
            for (var p = 0; p < classes; p++)
            {
                var count = confusion[(t * classes) + p];
                rows[t] += count;
                columns[p] += count;
                correct += t == p ? count : 0;
            }
        }

        var iou = Enumerable.Range(0, classes)
            .Select(c => rows[c] + columns[c] - confusion[(c * classes) + c] is var union and > 0 ? (double)confusion[(c * classes) + c] / union : double.NaN)
            .ToArray();
        var present = iou.Where(v => !double.IsNaN(v)).ToArray();
        var total = rows.Sum();
        return new SegmentationMetrics(
            total == 0 ? 0 : (double)correct / total,
            present.Length == 0 ? 0 : present.Average(),
            iou,
            [.. Enumerable.Range(0, classes).Select(t => (IReadOnlyList<long>)confusion[(t * classes)..((t + 1) * classes)])]);
    }
}
