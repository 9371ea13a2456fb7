// Tests that touch TorchSharp share one native runtime and its global seed: run them one at a time.
[assembly: DoNotParallelize]
