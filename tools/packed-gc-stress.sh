#!/usr/bin/env bash
# Trains through the PACKED library, as a new user's app would, while another thread forces garbage collections and
# finalizers (issue #25): packs src/Microsoft.ML.Reparam at REV (default: the working tree) into a local feed, writes a
# throwaway console app outside the repository that references it and TorchSharp-cpu, and runs FITS RepVGG fits of the
# embedded Fashion-MNIST subset (256 images, 3 epochs, stage widths WIDTHS). Prints each fit and "N of FITS fits failed".
# Usage: tools/packed-gc-stress.sh FITS [WIDTHS] [REV]     e.g. tools/packed-gc-stress.sh 200 8,16,24 a3cb5c9
set -euo pipefail
cd "$(dirname "$0")/.."
fits=${1:?fits}; widths=${2:-8,16,24}; rev=${3:-}
work=$(mktemp -d /tmp/packed-gc-stress.XXXXXX); source=$PWD
if [ -n "$rev" ]; then git worktree add -q --detach "$work/source" "$rev"; source="$work/source"; fi
version=0.0.0-gcstress.$(date +%s)
dotnet build "$source/src/Microsoft.ML.Reparam/Microsoft.ML.Reparam.csproj" -c Release -v q -nologo > "$work/build.log"
dotnet pack "$source/src/Microsoft.ML.Reparam/Microsoft.ML.Reparam.csproj" -c Release --no-build -o "$work/feed" -p:PackageVersion="$version" -v q -nologo > "$work/pack.log"
[ -n "$rev" ] && git worktree remove --force "$source"
mkdir "$work/app"
cat > "$work/app/NuGet.config" <<XML
<configuration><packageSources><add key="local" value="$work/feed" /></packageSources></configuration>
XML
cat > "$work/app/app.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.ML.Reparam" Version="$version" />
    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
  </ItemGroup>
</Project>
XML
cat > "$work/app/Program.cs" <<'CS'
using Microsoft.ML;
using Microsoft.ML.Reparam;
using Microsoft.ML.Reparam.Data;

var fits = int.Parse(args[0]);
int[] widths = [.. args[1].Split(',').Select(int.Parse)];
var mlContext = new MLContext(1);
var view = FashionMnist.LoadEmbedded().Train.Take(256).ToDataView(mlContext);
var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
using var stop = new CancellationTokenSource();
var collector = new Thread(() => { while (!stop.IsCancellationRequested) { GC.Collect(); GC.WaitForPendingFinalizers(); } }) { IsBackground = true };
collector.Start();
var failed = 0;
for (var i = 0; i < fits; i++)
{
    try
    {
        var options = new ReparamConvTrainerOptions { StageWidths = widths, StageDepths = [2, .. Enumerable.Repeat(1, widths.Length - 1)], StageStrides = [2, .. Enumerable.Repeat(2, widths.Length - 2), 1], Epochs = 3, BatchSize = 32, FoldCheckImages = 4, Seed = (i % 3) + 1 };
        using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(keyed);
        Console.WriteLine($"fit {i} ok, fold error {model.FoldError.MaxRelative:E1}");
    }
    catch (Exception e)
    {
        failed++;
        Console.WriteLine($"fit {i} FAILED: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
    }
}

stop.Cancel();
Console.WriteLine($"{failed} of {fits} fits failed");
CS
cd "$work/app"
dotnet run -c Release -- "$fits" "$widths" 2>&1 | grep -v NNPACK
