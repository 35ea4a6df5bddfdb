using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scrl.Pipeline.Jobs;

namespace Scrl.Infra.Tests;

/// <summary>The two worker apps of infra/app/worker.bicep against the pipeline's routing (<see cref="StageQueues"/>): the
/// GPU app takes exactly the GPU stages' queues with <c>--device cuda</c>, the CPU app exactly the CPU stages' with
/// <c>--device cpu</c> on the Consumption profile.</summary>
public sealed partial class WorkerPoolTests
{
    // The queue parameters of worker.bicep, with the names main.bicep passes to them.
    private static readonly IReadOnlyDictionary<string, StageKind> QueueParameters = new Dictionary<string, StageKind>
    {
        ["[parameters('shardQueueName')]"] = StageKind.Shard,
        ["[parameters('pretrainQueueName')]"] = StageKind.Pretrain,
        ["[parameters('roiEvalQueueName')]"] = StageKind.RoiEval,
        ["[parameters('finetuneQueueName')]"] = StageKind.Finetune,
    };

    [Theory]
    [InlineData(JobHardware.Gpu, "cuda", "[variables('gpuProfileName')]")]
    [InlineData(JobHardware.Cpu, "cpu", "Consumption")]
    public async Task EachPool_ServesExactlyItsHardwaresStages_OnItsDevice(JobHardware hardware, string device, string profile)
    {
        JsonNode template = await CompiledWorker.TemplateAsync();
        JsonObject pool = Assert.Single(template["variables"]!["pools"]!.AsArray().OfType<JsonObject>(), p => p["device"]!.GetValue<string>() == device);

        StageKind[] stages = [.. pool["queues"]!.AsArray().Select(q => QueueParameters[q!.GetValue<string>()])];

        Assert.Equal(StageQueues.WorkerStages.Where(s => StageQueues.HardwareOf(s) == hardware).Order(), stages.Order());
        Assert.Equal(profile, pool["workloadProfileName"]!.GetValue<string>());
    }

    [Fact]
    public async Task EveryApp_TakesItsPoolsDeviceAndQueues_AndScalesOnThem()
    {
        JsonObject app = CompiledWorker.App(await CompiledWorker.TemplateAsync());
        string args = app["properties"]!["template"]!["containers"]![0]!["args"]!.GetValue<string>();
        JsonNode rules = app["properties"]!["template"]!["scale"]!["copy"]![0]!;

        Assert.Equal("[length(variables('pools'))]", app["copy"]!["count"]!.GetValue<string>());
        Assert.Contains("'--device', variables('pools')[copyIndex()].device", args, StringComparison.Ordinal);
        Assert.Contains("map(variables('pools')[copyIndex()].queues", args, StringComparison.Ordinal);
        Assert.Equal("[length(variables('pools')[copyIndex()].queues)]", rules["count"]!.GetValue<string>());
    }

    [Fact]
    public void MainTemplate_NamesTheQueuesThePipelineRoutesTo()
    {
        string main = File.ReadAllText(Repository.PathOf("infra/main.bicep"));
        Dictionary<string, string> variables = QueueVariable().Matches(main).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["queue"].Value);

        Assert.Equal(StageQueues.Default[StageKind.Shard], variables["shard"]);
        Assert.Equal(StageQueues.Default[StageKind.Pretrain], variables["pretrain"]);
        Assert.Equal(StageQueues.Default[StageKind.RoiEval], variables["roiEval"]);
        Assert.Equal(StageQueues.Default[StageKind.Finetune], variables["finetune"]);
    }

    [GeneratedRegex(@"\nvar (?<name>\w+)QueueName = '(?<queue>[^']+)'")]
    private static partial Regex QueueVariable();
}
