namespace Scrl.Pipeline.Tests;

public class ArchitectureTests
{
    [Fact]
    public void Pipeline_ReferencesNoTorchSharp()
    {
        var references = typeof(Scrl.Pipeline.Jobs.JobMessage).Assembly.GetReferencedAssemblies().Select(a => a.Name!);
        Assert.DoesNotContain(references, name => name.StartsWith("TorchSharp", StringComparison.Ordinal) || name == "TorchVision");
    }
}
