using System.Text.Json.Nodes;
using Scrl.Pipeline.Access;

namespace Scrl.Infra.Tests;

/// <summary>
/// The roles of infra/app/rbac.bicep against <see cref="DataPlaneCatalogue"/>: every data-plane call the Functions app
/// and the worker make is granted to its workload's identity, and every role those identities hold serves a call.
/// </summary>
public sealed class RoleCoverageTests
{
    private static readonly IReadOnlyList<RoleAssignment> Assignments =
        RoleAssignment.ReadAll(File.ReadAllText(Repository.PathOf("infra/app/rbac.bicep")));

    [Fact]
    public void Rbac_ReadsEveryAssignment()
    {
        int declared = File.ReadAllText(Repository.PathOf("infra/app/rbac.bicep")).Split("'Microsoft.Authorization/roleAssignments@").Length - 1;

        Assert.Equal(declared, Assignments.Count);
        Assert.All(Assignments, a => Assert.NotEmpty(a.Role));
    }

    [Fact]
    public void EveryCatalogueCall_IsGrantedToItsWorkload()
    {
        string[] refused = [.. DataPlaneCatalogue.Calls.Where(call => !Assignments.Any(a => a.Grants(call))).Select(call => call.ToString())];

        Assert.True(refused.Length == 0, "No role grants:\n" + string.Join('\n', refused));
    }

    [Fact]
    public void EveryRoleOfTheFunctionsAppAndWorker_ServesACatalogueCall()
    {
        string[] unused = [.. Assignments.Where(a => a.Workload is not null && !DataPlaneCatalogue.Calls.Any(a.Grants)).Select(a => a.Symbol)];

        Assert.True(unused.Length == 0, "Roles no call uses: " + string.Join(", ", unused));
    }

    [Fact]
    public void Catalogue_CreatesNoQueueOrContainerInTheWorker()
    {
        Assert.DoesNotContain(DataPlaneCatalogue.Calls, call => call.Workload == Workload.Worker
                              && call.Action is DataPlaneAction.ContainerCreate or DataPlaneAction.QueueCreate);
    }

    [Fact]
    public void ScalerIdentity_HoldsOnlyServiceBusRolesOnTheJobQueues()
    {
        RoleAssignment[] scaler = [.. Assignments.Where(a => a.Principal == "scalerIdentity")];

        Assert.NotEmpty(scaler);
        Assert.All(scaler, a => Assert.Equal("jobQueues[i]", a.Scope));
    }

    [Fact]
    public async Task CompiledWorker_GivesItsCodeTheWorkerIdentityOnly()
    {
        JsonObject app = CompiledWorker.App(await CompiledWorker.TemplateAsync());
        JsonArray settings = app["properties"]!["configuration"]!["identitySettings"]!.AsArray();

        Assert.Equal("None", Lifecycle(settings, "scalerIdentityId"));
        Assert.Equal("All", Lifecycle(settings, "workerIdentityId"));
        JsonNode env = app["properties"]!["template"]!["containers"]![0]!["env"]!;
        Assert.Contains("workerIdentityClientId", env.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("scaler", env.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    private static string? Lifecycle(JsonArray settings, string identityParameter) =>
        settings.Single(s => s!["identity"]!.GetValue<string>() == $"[parameters('{identityParameter}')]")!["lifecycle"]!.GetValue<string>();
}
