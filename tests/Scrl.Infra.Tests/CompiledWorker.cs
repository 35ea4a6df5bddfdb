using System.Text.Json.Nodes;

namespace Scrl.Infra.Tests;

/// <summary>infra/app/worker.bicep compiled on its own: its template and its container app.</summary>
internal static class CompiledWorker
{
    public static async Task<JsonNode> TemplateAsync()
    {
        BicepCli.Result build = await BicepCli.RunAsync("build", "infra/app/worker.bicep", "--stdout");
        Assert.True(build.ExitCode == 0, build.StandardError);
        return JsonNode.Parse(build.StandardOutput)!;
    }

    public static JsonObject App(JsonNode template) => template["resources"] switch
    {
        JsonObject symbolic => symbolic["worker"]!.AsObject(),
        JsonArray array => array.OfType<JsonObject>().Single(r => r["type"]!.GetValue<string>() == "Microsoft.App/containerApps"),
        _ => throw new InvalidOperationException("worker.bicep compiled without resources"),
    };
}
