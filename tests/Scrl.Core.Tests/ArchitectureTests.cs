namespace Scrl.Core.Tests;

public class ArchitectureTests
{
    private static readonly string[] CloudPrefixes = ["Azure.", "Microsoft.Azure.", "Microsoft.DurableTask"];

    [Fact]
    public void Core_ReferencesNoCloudAssemblies()
    {
        var references = typeof(Scrl.Core.Configuration.PretrainConfig).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        var cloud = references.Where(name => CloudPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.True(cloud.Count == 0, $"Scrl.Core references {string.Join(", ", cloud)}");
    }
}
