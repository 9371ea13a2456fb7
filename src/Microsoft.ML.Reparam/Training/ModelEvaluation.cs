using Microsoft.ML.Reparam.Tasks.Classification;
using static TorchSharp.torch;

namespace Microsoft.ML.Reparam.Training;

/// <summary>Eval-mode predictions of a model over a whole dataset, batched.</summary>
public static class ModelEvaluation
{
    private const ulong EvaluationSeed = 20261127;

    /// <summary>Returns the logits of every image, [N, classes] row-major, in eval mode.</summary>
    /// <param name="model">The model; it is switched to eval mode.</param>
    /// <param name="source">The images and their normalization.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="device">The model's device, or null for the CPU.</param>
    /// <returns>The logits.</returns>
    public static float[] Logits(nn.Module<Tensor, Tensor> model, BatchSource source, int batchSize = 256, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        model.eval();
        var count = source.Count;
        var indices = Enumerable.Range(0, count).ToArray();
        var logits = new List<float>();
        using var noGrad = no_grad();
        for (var start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var (images, _) = source.Batch(indices.AsSpan(start, Math.Min(batchSize, count - start)), device);
            logits.AddRange(model.forward(images).cpu().data<float>().ToArray());
        }

        return [.. logits];
    }

    /// <summary>Returns the fraction of images whose arg-max logit is their label.</summary>
    /// <param name="model">The model; it is switched to eval mode.</param>
    /// <param name="source">The images, labels and normalization.</param>
    /// <param name="batchSize">Images per forward pass.</param>
    /// <param name="device">The model's device, or null for the CPU.</param>
    /// <returns>Accuracy in [0, 1].</returns>
    public static double Accuracy(nn.Module<Tensor, Tensor> model, BatchSource source, int batchSize = 256, Device? device = null) =>
        Metric(model, source, new ClassificationObjective(0), batchSize, device);

    /// <summary>Returns the objective's metric over every image of <paramref name="source"/>, in eval mode.</summary>
    internal static double Metric(nn.Module<Tensor, Tensor> model, BatchSource source, ITrainingObjective objective, int batchSize = 256, Device? device = null)
    {
        var metric = objective.NewMetric();
        Accumulate(model, source, metric, batchSize, device, objective);
        return metric.Value;
    }

    /// <summary>Adds the eval-mode outputs of every image of <paramref name="source"/>, with its targets, to <paramref name="metric"/>.</summary>
    internal static void Accumulate(nn.Module<Tensor, Tensor> model, BatchSource source, IMetricAccumulator metric, int batchSize = 256, Device? device = null, ITrainingObjective? objective = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        model.eval();
        var indices = Enumerable.Range(0, source.Count).ToArray();
        using var noGrad = no_grad();
        using var generator = new Generator(EvaluationSeed, device ?? CPU); // the same draws on every pass, so passes compare
        for (var start = 0; start < indices.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var (images, targets) = source.Batch(indices.AsSpan(start, Math.Min(batchSize, indices.Length - start)), device);
            var (input, target) = objective is null ? (images, targets) : objective.Prepare(images, targets, generator);
            metric.Add(model.forward(input), target);
        }
    }

    /// <summary>Returns the fraction of rows of <paramref name="logits"/> whose arg-max is the label.</summary>
    /// <param name="logits">Scores, [N, classes] row-major.</param>
    /// <param name="labels">Labels, [N].</param>
    /// <returns>Accuracy in [0, 1].</returns>
    public static double Accuracy(float[] logits, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length == 0 || logits.Length % labels.Length != 0)
        {
            throw new ArgumentException($"{logits.Length} scores do not divide into {labels.Length} rows.");
        }

        var predicted = ArgMax(logits, logits.Length / labels.Length);
        return (double)predicted.Where((p, i) => p == labels[i]).Count() / labels.Length;
    }

    /// <summary>Returns the arg-max class of every row of <paramref name="logits"/> (the first on ties).</summary>
    /// <param name="logits">Scores, [N, classes] row-major.</param>
    /// <param name="classes">Classes per row.</param>
    /// <returns>The class index of each row.</returns>
    public static int[] ArgMax(float[] logits, int classes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (logits.Length % classes != 0)
        {
            throw new ArgumentException($"{logits.Length} scores do not divide into rows of {classes}.", nameof(logits));
        }

        var result = new int[logits.Length / classes];
        for (var i = 0; i < result.Length; i++)
        {
            var row = logits.AsSpan(i * classes, classes);
            for (var c = 1; c < classes; c++)
            {
                if (row[c] > row[result[i]])
                {
                    result[i] = c;
                }
            }
        }

        return result;
    }
}
