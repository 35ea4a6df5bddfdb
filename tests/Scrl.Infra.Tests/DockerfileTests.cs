using System.Text.RegularExpressions;

namespace Scrl.Infra.Tests;

/// <summary>
/// Static checks of containers/worker/Dockerfile (no Docker here): the properties the GPU worker depends on.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly List<string> Instructions = ReadInstructions(Repository.PathOf("containers/worker/Dockerfile"));

    private static IEnumerable<string> From => Instructions.Where(i => i.StartsWith("FROM ", StringComparison.Ordinal));

    [Fact]
    public void Build_IsMultiStage_WithTheSdkStageFirst()
    {
        Assert.True(From.Count() >= 2, "a build stage and a runtime stage");
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0\S* AS build$", From.First());
        Assert.Contains(Instructions, i => i.StartsWith("COPY --from=build /app", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_PublishesTheCliWithTheCudaBackend()
    {
        string publish = Assert.Single(Instructions, i => i.Contains("dotnet publish", StringComparison.Ordinal));

        Assert.Contains("src/Scrl.Cli", publish, StringComparison.Ordinal);
        Assert.Contains("-p:TorchBackend=cuda", publish, StringComparison.Ordinal);
        Assert.Contains("-c Release", publish, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_IsCudaOnUbuntu2404_ForLibTorchSharpsLibstdcxx()
    {
        // libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13); Ubuntu 24.04 has it, Debian 12 does not.
        Assert.Matches(@"^FROM nvidia/cuda:12\.\d+\.\d+-[a-z-]*runtime-ubuntu24\.04 AS runtime$", From.Last());
    }

    [Fact]
    public void Runtime_RunsAsNonRootUser()
    {
        string user = Instructions.Last(i => i.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        string name = user.Split(':')[0];

        Assert.NotEqual("root", name);
        Assert.NotEqual("0", name);
        Assert.True(Instructions.IndexOf(Instructions.Last(i => i.StartsWith("USER ", StringComparison.Ordinal)))
                    > Instructions.IndexOf(From.Last()), "USER is set in the runtime stage");
    }

    [Fact]
    public void Runtime_StartsTheWorker()
    {
        Assert.Equal("ENTRYPOINT [\"dotnet\", \"/app/scrl.dll\", \"worker\"]", Instructions.Last(i => i.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Fact]
    public void Context_LeavesOutBuildOutputsAndGit()
    {
        string[] ignored = File.ReadAllLines(Repository.PathOf(".dockerignore"));

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains(".git/", ignored);
        Assert.DoesNotContain("src/", ignored);
        Assert.DoesNotContain("build/", ignored); // Directory.Build.targets compiles build/*.cs
    }

    /// <summary>Instructions with continuation lines joined and comments dropped.</summary>
    private static List<string> ReadInstructions(string path)
    {
        string text = string.Join('\n', File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith('#')));
        return [.. Continuation().Replace(text, " ").Split('\n').Select(l => Spaces().Replace(l.Trim(), " ")).Where(l => l.Length > 0)];
    }

    [GeneratedRegex(@"\\\s*\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
