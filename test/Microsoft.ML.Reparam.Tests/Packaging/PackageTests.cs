using System.Diagnostics;
using System.IO.Compression;
using Microsoft.ML.Reparam.Tools;

namespace Microsoft.ML.Reparam.Tests.Packaging;

/// <summary>The packed library: its contents, and a throwaway console app outside the repository that restores it from a local folder, picks the CPU backend and trains.</summary>
[TestClass]
public sealed class PackageTests
{
    [TestMethod]
    [Timeout(900_000)]
    public void AThrowawayAppBuildsAgainstThePackedPackageAndTrainsOneEpoch()
    {
        var repository = RepositoryOutput.Root;
        using var folder = new TemporaryFolder();
        var feed = Directory.CreateDirectory(Path.Combine(folder.Path, "feed")).FullName;
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}"; // a new version each time: the NuGet cache keeps old ones

        Run(repository, "pack", Path.Combine(repository, "src", "Microsoft.ML.Reparam", "Microsoft.ML.Reparam.csproj"), "-c", RepositoryOutput.Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");

        var package = Path.Combine(feed, $"Microsoft.ML.Reparam.{version}.nupkg");
        Assert.IsTrue(File.Exists(Path.ChangeExtension(package, ".snupkg")), "symbols package");
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            CollectionAssert.IsSubsetOf(new[] { "README.md", "LICENSE", "lib/net10.0/Microsoft.ML.Reparam.dll", "lib/net10.0/Microsoft.ML.Reparam.xml", "buildTransitive/Microsoft.ML.Reparam.targets", "buildTransitive/ElfVersionNeedPatcher.cs" }, entries);
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var manifest = nuspec.ReadToEnd();
            StringAssert.Contains(manifest, "id=\"TorchSharp\"");
            Assert.DoesNotContain("TorchSharp-cpu", manifest, "the app chooses the backend");
            StringAssert.Contains(manifest, "<license type=\"expression\">MIT</license>");
        }

        var app = Directory.CreateDirectory(Path.Combine(folder.Path, "app")).FullName;
        File.WriteAllText(Path.Combine(app, "NuGet.config"), $"<configuration><packageSources><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>"); // and the machine's default source
        File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.ML.Reparam" Version="{version}" />
                <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using Microsoft.ML;
            using Microsoft.ML.Reparam;
            using Microsoft.ML.Reparam.Data;

            var mlContext = new MLContext(1);
            var view = FashionMnist.LoadEmbedded().Train.Take(200).ToDataView(mlContext);
            var keyed = mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
            var options = new ReparamConvTrainerOptions { StageWidths = [8, 16], StageDepths = [1, 1], StageStrides = [2, 2], Epochs = 1, BatchSize = 32, FoldCheckImages = 4 };
            using var model = mlContext.MulticlassClassification.Trainers.ReparamConv(options).Fit(keyed);
            Console.WriteLine($"trained {model.Training.History.Count} epoch; folded with max relative error {model.FoldError.MaxRelative:E1}");
            """);

        var answer = Run(app, "run", "-c", "Release");

        StringAssert.Contains(answer, "trained 1 epoch; folded with max relative error");
    }

    private static string Run(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"dotnet {string.Join(' ', arguments)}:\n{text}\n{error.Result}");
        return text;
    }
}
