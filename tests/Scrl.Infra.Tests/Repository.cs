using System.Reflection;

namespace Scrl.Infra.Tests;

/// <summary>Paths fixed at build time (see the csproj's AssemblyMetadata items).</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The Bicep CLI from the restored Azure.Bicep.CommandLine.linux-x64 package.</summary>
    public static string BicepPath { get; } = Metadata("BicepPath");

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is empty.");
}
