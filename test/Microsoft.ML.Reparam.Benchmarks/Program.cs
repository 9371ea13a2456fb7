using Microsoft.ML.Reparam.Benchmarks;

// dotnet run -c Release --project test/Microsoft.ML.Reparam.Benchmarks -- SUITE --out DIR [--quick]
return BenchmarkRunner.Run(args);
