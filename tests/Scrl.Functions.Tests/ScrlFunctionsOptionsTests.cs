using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Scrl.Functions.Configuration;
using Scrl.Pipeline.Jobs;

namespace Scrl.Functions.Tests;

public sealed partial class ScrlFunctionsOptionsTests
{
    [Fact]
    public void Validate_NothingConfigured_ListsEveryMissingSetting()
    {
        ValidateOptionsResult result = new ScrlFunctionsOptionsValidator().Validate(null, new ScrlFunctionsOptions());

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "Scrl:Storage:ServiceUri must be an absolute blob endpoint URI",
                "Scrl:ServiceBus:FullyQualifiedNamespace must be set",
                "Scrl:ServiceBus:Queues:Shard must name the queue of Shard jobs",
                "Scrl:ServiceBus:Queues:Pretrain must name the queue of Pretrain jobs",
                "Scrl:ServiceBus:Queues:RoiEval must name the queue of RoiEval jobs",
                "Scrl:ServiceBus:Queues:Finetune must name the queue of Finetune jobs",
            ],
            result.Failures);
    }

    [Fact]
    public void Bind_TheAppSettingsFunctionsBicepWrites_IsValidAndRoutesEveryWorkerStage()
    {
        // The Scrl__* app settings of infra/app/functions.bicep, with stand-ins for the values Bicep computes.
        string bicep = File.ReadAllText(Path.Combine(RepositoryRoot(), "infra/app/functions.bicep"));
        Dictionary<string, string?> settings = AppSetting().Matches(bicep).ToDictionary(
            m => m.Groups["key"].Value.Replace("__", ":", StringComparison.Ordinal),
            m => (string?)StandIn(m.Groups["value"].Value));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        ScrlFunctionsOptions options = configuration.GetSection(ScrlFunctionsOptions.SectionName).Get<ScrlFunctionsOptions>()!;

        Assert.True(new ScrlFunctionsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(StageQueues.Default, options.ServiceBus.Queues);
    }

    [Fact]
    public void Validate_ShardOnTheGpuQueue_IsRefused()
    {
        var options = new ScrlFunctionsOptions
        {
            Storage = new() { ServiceUri = new Uri("https://sttest.blob.core.windows.net/") },
            ServiceBus = new() { FullyQualifiedNamespace = "sb-test.servicebus.windows.net",
                                 Queues = new(StageQueues.Default) { [StageKind.Shard] = "pretrain" } },
        };

        ValidateOptionsResult result = new ScrlFunctionsOptionsValidator().Validate(null, options);

        Assert.Equal(["Scrl:ServiceBus:Queues: queue 'pretrain' carries CPU and GPU stages (Shard, Pretrain); give each pool its own queues"],
                     result.Failures);
    }

    /// <summary>A value for a Bicep expression: queue parameters get the queue names main.bicep passes.</summary>
    private static string StandIn(string expression) => expression switch
    {
        "shardQueueName" => "shard",
        "pretrainQueueName" => "pretrain",
        "roiEvalQueueName" => "roi-eval",
        "finetuneQueueName" => "finetune",
        "artifactsContainerName" => "artifacts",
        "serviceBusFullyQualifiedNamespace" => "sb-test.servicebus.windows.net",
        "storage.properties.primaryEndpoints.blob" => "https://sttest.blob.core.windows.net/",
        _ => throw new ArgumentException($"No stand-in for the Bicep expression '{expression}'.", nameof(expression)),
    };

    private static string RepositoryRoot() =>
        typeof(ScrlFunctionsOptionsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [GeneratedRegex(@"^\s+(?<key>Scrl__\w+):\s*(?<value>\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AppSetting();
}
