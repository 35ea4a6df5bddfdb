using System.Text.Json.Nodes;

namespace Scrl.Infra.Tests;

/// <summary>A stopping worker replica is killed only after the worker's own shutdown grace (its last checkpoint upload)
/// has run out, with room for the training step in flight.</summary>
public sealed class WorkerGracePeriodTests
{
    [Fact]
    public async Task TerminationGracePeriod_CoversTheWorkersShutdownGracePlusAStep()
    {
        JsonNode template = await CompiledWorker.TemplateAsync();
        JsonObject app = CompiledWorker.App(template);
        JsonNode shutdownGrace = template["parameters"]!["shutdownGraceSeconds"]!;
        string args = app["properties"]!["template"]!["containers"]![0]!["args"]!.GetValue<string>();   // one concat() expression

        Assert.Equal("[variables('terminationGracePeriodSeconds')]", app["properties"]!["template"]!["terminationGracePeriodSeconds"]!.GetValue<string>());
        Assert.Equal("[add(parameters('shutdownGraceSeconds'), 60)]", template["variables"]!["terminationGracePeriodSeconds"]!.GetValue<string>());
        // The worker is told the same number it is given.
        Assert.Contains("'--shutdown-grace', string(parameters('shutdownGraceSeconds'))", args, StringComparison.Ordinal);
        // Container Apps allows at most 600 s.
        Assert.True(shutdownGrace["maxValue"]!.GetValue<int>() + 60 <= 600);
        Assert.True(shutdownGrace["defaultValue"]!.GetValue<int>() >= 60, "the worker's own default grace");
    }
}
