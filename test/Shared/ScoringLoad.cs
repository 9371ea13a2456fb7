using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Reparam.Robustness;

/// <summary>
/// Engines are made with <c>OwnsTransformer = false</c>: by default an ML.NET prediction engine disposes its model when
/// it is disposed. Scores a classifier of 28×28 images from many threads — one prediction engine per thread, and <c>Transform</c> on the
/// one shared transformer — and counts the scores that are not bitwise those of single-threaded scoring.
/// </summary>
internal static class ScoringLoad
{
    private static readonly PredictionEngineOptions Shared = new() { OwnsTransformer = false };

    /// <summary>Single-threaded reference scores, one engine, in image order.</summary>
    public static float[][] Reference(MLContext mlContext, ITransformer model, IReadOnlyList<MLImage> images)
    {
        using var engine = mlContext.Model.CreatePredictionEngine<Input, Output>(model, Shared);
        return [.. images.Select(image => (float[])engine.Predict(new Input { Image = image }).Score.Clone())];
    }

    /// <summary><paramref name="threads"/> threads, each with its own engine, make <paramref name="perThread"/> predictions over the images in turn; returns the mismatches.</summary>
    public static int Engines(MLContext mlContext, ITransformer model, IReadOnlyList<MLImage> images, float[][] reference, int threads, int perThread)
    {
        var mismatches = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            using var engine = mlContext.Model.CreatePredictionEngine<Input, Output>(model, Shared);
            var input = new Input();
            var output = new Output();
            for (var i = 0; i < perThread; i++)
            {
                var index = (i + (thread * 7)) % images.Count;
                input.Image = images[index];
                engine.Predict(input, ref output);
                if (!output.Score.AsSpan().SequenceEqual(reference[index]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });
        return mismatches;
    }

    /// <summary><paramref name="threads"/> threads call <c>Transform</c> on the shared model <paramref name="rounds"/> times over all images; returns the mismatches.</summary>
    public static int SharedTransform(MLContext mlContext, ITransformer model, IReadOnlyList<MLImage> images, float[][] reference, int threads, int rounds)
    {
        var view = mlContext.Data.LoadFromEnumerable(images.Select(image => new Input { Image = image }).ToList());
        var mismatches = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (var round = 0; round < rounds; round++)
            {
                var scores = model.Transform(view).GetColumn<float[]>("Score").ToList();
                Interlocked.Add(ref mismatches, scores.Where((score, i) => !score.AsSpan().SequenceEqual(reference[i])).Count());
            }
        });
        return mismatches;
    }

    /// <summary>A scoring input: one 28×28 image.</summary>
    public sealed class Input
    {
        [ImageType(28, 28)]
        public MLImage Image { get; set; } = null!;
    }

    /// <summary>A scoring output.</summary>
    public sealed class Output
    {
        public float[] Score { get; set; } = [];
    }
}
