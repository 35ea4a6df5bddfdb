using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Scrl.Infra.Tests;

/// <summary>
/// The templates compile and lint clean, with the checked-in bicepconfig.json, and the compiled ARM template keeps
/// the rules infra reviews look for (managed identity only, descriptions, roles only in rbac.bicep).
/// </summary>
public sealed partial class BicepTests
{
    private const string Main = "infra/main.bicep";

    [Fact]
    public async Task Build_MainTemplate_SucceedsWithoutDiagnostics()
    {
        BicepCli.Result result = await BicepCli.RunAsync("build", Main, "--stdout");

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("", result.StandardError.Trim());
        Assert.StartsWith("{", result.StandardOutput.TrimStart());
    }

    [Fact]
    public async Task Lint_MainTemplate_ReportsNothing()
    {
        BicepCli.Result result = await BicepCli.RunAsync("lint", Main);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("", (result.StandardOutput + result.StandardError).Trim());
    }

    [Fact]
    public void LinterConfig_TurnsNoRuleOff()
    {
        JsonNode config = JsonNode.Parse(File.ReadAllText(Repository.PathOf("infra/bicepconfig.json")))!;
        JsonObject rules = config["analyzers"]!["core"]!["rules"]!.AsObject();

        Assert.True(config["analyzers"]!["core"]!["enabled"]!.GetValue<bool>());
        Assert.All(rules, rule => Assert.DoesNotContain(rule.Value!["level"]!.GetValue<string>(), new[] { "off", "none", "info" }));
    }

    [Fact]
    public void SourceFiles_UseNoRegistryModules()
    {
        // Modules from a registry would need the network at build time; resources are written out instead.
        Assert.All(BicepFiles(), file => Assert.DoesNotMatch(@"'br[:/]", File.ReadAllText(file)));
    }

    [Fact]
    public void SourceFiles_DescribeEveryParameter()
    {
        foreach (string file in BicepFiles())
        {
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("param ", StringComparison.Ordinal)) continue;
                IEnumerable<string> decorators = lines[..i].Reverse().TakeWhile(l => l.StartsWith('@') || l.StartsWith("  ") || l is "])" or "})");
                Assert.True(decorators.Any(l => l.StartsWith("@description(", StringComparison.Ordinal)),
                            $"{Path.GetFileName(file)}:{i + 1} '{lines[i]}' has no @description");
            }
        }
    }

    [Fact]
    public void SourceFiles_AssignRolesOnlyInRbacModule_EachNamedInAComment()
    {
        foreach (string file in BicepFiles())
        {
            string text = File.ReadAllText(file);
            bool assigns = text.Contains("Microsoft.Authorization/roleAssignments@", StringComparison.Ordinal);
            Assert.True(!assigns || Path.GetFileName(file) == "rbac.bicep", $"{file} assigns roles; only rbac.bicep may");
        }
        string rbac = File.ReadAllText(Repository.PathOf("infra/app/rbac.bicep"));
        MatchCollection assignments = RoleAssignment().Matches(rbac);
        Assert.Equal(Regex.Count(rbac, @"\nresource \w+ 'Microsoft\.Authorization/roleAssignments@"), assignments.Count);
        foreach (Match assignment in assignments)
        {
            string comment = assignment.Groups["comment"].Value;
            string role = assignment.Groups["role"].Value;
            Assert.True(comment.Contains(RoleName(role), StringComparison.Ordinal),
                        $"The assignment of {role} is not introduced by a comment naming '{RoleName(role)}':\n{comment}");
        }
    }

    [Fact]
    public async Task CompiledTemplate_UsesManagedIdentityOnly()
    {
        JsonNode template = await CompiledMainAsync();
        List<JsonObject> resources = Resources(template).ToList();

        JsonObject storage = Assert.Single(resources, r => Type(r) == "Microsoft.Storage/storageAccounts");
        Assert.False(storage["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
        JsonObject bus = Assert.Single(resources, r => Type(r) == "Microsoft.ServiceBus/namespaces");
        Assert.True(bus["properties"]!["disableLocalAuth"]!.GetValue<bool>());
        JsonObject registry = Assert.Single(resources, r => Type(r) == "Microsoft.ContainerRegistry/registries");
        Assert.False(registry["properties"]!["adminUserEnabled"]!.GetValue<bool>());
        JsonObject insights = Assert.Single(resources, r => Type(r) == "Microsoft.Insights/components");
        Assert.True(insights["properties"]!["DisableLocalAuth"]!.GetValue<bool>());

        string text = template.ToJsonString();
        Assert.DoesNotContain("listKeys(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompiledTemplate_JobQueues_LockForFiveMinutesAndDeadLetter()
    {
        JsonNode template = await CompiledMainAsync();
        JsonObject queues = Assert.Single(Resources(template), r => Type(r) == "Microsoft.ServiceBus/namespaces/queues");
        JsonObject servicebusModule = Assert.Single(Resources(template), r => r["name"]?.ToString() == "servicebus");
        JsonObject variables = template["variables"]!.AsObject();

        Assert.Equal("PT5M", DefaultOf(servicebusModule, "lockDuration"));
        Assert.True(queues["properties"]!["deadLetteringOnMessageExpiration"]!.GetValue<bool>());
        Assert.True(queues["properties"]!["requiresDuplicateDetection"]!.GetValue<bool>());
        Assert.Equal(["shard", "pretrain", "roi-eval", "finetune"],
                     new[] { "shardQueueName", "pretrainQueueName", "roiEvalQueueName", "finetuneQueueName" }.Select(v => variables[v]!.GetValue<string>()));
    }

    [Fact]
    public async Task CompiledTemplate_Worker_ScalesFromZeroOnEachJobQueueWithItsIdentity()
    {
        JsonNode template = await CompiledMainAsync();
        JsonObject app = Assert.Single(Resources(template), r => Type(r) == "Microsoft.App/containerApps");
        JsonNode scale = app["properties"]!["template"]!["scale"]!;

        Assert.Equal(0, scale["minReplicas"]!.GetValue<int>());
        string rules = scale.ToJsonString(); // the rules are a copy loop over the job queues
        Assert.Contains("azure-servicebus", rules, StringComparison.Ordinal);
        Assert.Contains("\"identity\"", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("secretRef", rules, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompiledTemplate_OutputsAreUpperSnakeCase()
    {
        JsonNode template = await CompiledMainAsync();

        Assert.All(Templates(template).SelectMany(t => t["outputs"]?.AsObject() ?? []),
                   output => Assert.Matches("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", output.Key));
    }

    private static async Task<JsonNode> CompiledMainAsync()
    {
        BicepCli.Result result = await BicepCli.RunAsync("build", Main, "--stdout");
        Assert.True(result.ExitCode == 0, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!;
    }

    /// <summary>The main template and every nested module template.</summary>
    private static IEnumerable<JsonNode> Templates(JsonNode template)
    {
        yield return template;
        foreach (JsonObject resource in TopLevelResources(template))
        {
            if (resource["properties"]?["template"] is JsonObject nested && Type(resource) == "Microsoft.Resources/deployments")
                foreach (JsonNode inner in Templates(nested)) yield return inner;
        }
    }

    /// <summary>Every resource every template deploys, modules (deployments) included; `existing` references left out.</summary>
    private static IEnumerable<JsonObject> Resources(JsonNode template) =>
        Templates(template).SelectMany(TopLevelResources).Where(r => r["existing"]?.GetValue<bool>() != true);

    private static IEnumerable<JsonObject> TopLevelResources(JsonNode template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(pair => pair.Value).OfType<JsonObject>(),
        _ => [],
    };

    private static string? Type(JsonObject resource) => resource["type"]?.GetValue<string>();

    private static string? DefaultOf(JsonObject module, string parameter) =>
        module["properties"]!["template"]!["parameters"]![parameter]!["defaultValue"]!.GetValue<string>();

    private static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string RoleName(string key) => key switch
    {
        "storageBlobDataOwner" => "Storage Blob Data Owner",
        "storageBlobDataContributor" => "Storage Blob Data Contributor",
        "storageQueueDataContributor" => "Storage Queue Data Contributor",
        "storageQueueDataMessageSender" => "Storage Queue Data Message Sender",
        "storageTableDataContributor" => "Storage Table Data Contributor",
        "serviceBusDataOwner" => "Azure Service Bus Data Owner",
        "serviceBusDataReceiver" => "Azure Service Bus Data Receiver",
        "serviceBusDataSender" => "Azure Service Bus Data Sender",
        "acrPull" => "AcrPull",
        "monitoringMetricsPublisher" => "Monitoring Metrics Publisher",
        _ => throw new ArgumentException($"Unknown role key {key}: add its name here.", nameof(key)),
    };

    // A comment block, then a role assignment resource whose roleDefinitionId names roles.<key>.
    [GeneratedRegex(@"(?<comment>(?://[^\n]*\n)+)resource \w+ 'Microsoft\.Authorization/roleAssignments@[^']+' = [^\n]*\n(?:(?!\nresource )[\s\S])*?roleDefinitions', roles\.(?<role>\w+)\)")]
    private static partial Regex RoleAssignment();
}
