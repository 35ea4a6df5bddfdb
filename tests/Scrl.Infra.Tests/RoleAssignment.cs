using System.Text.RegularExpressions;
using Scrl.Pipeline.Access;

namespace Scrl.Infra.Tests;

/// <summary>One role assignment of infra/app/rbac.bicep: who holds which built-in role (its key in the file's
/// <c>roles</c> table) on what.</summary>
internal sealed partial record RoleAssignment(string Symbol, string Principal, string Role, string Scope)
{
    /// <summary>The workload a principal symbol stands for, or null for the scaler and the deployer.</summary>
    public Workload? Workload => Principal switch
    {
        "functionsIdentity" => Pipeline.Access.Workload.Functions,
        "workerIdentity" => Pipeline.Access.Workload.Worker,
        _ => null,
    };

    /// <summary>Resources this assignment's scope reaches: an account scope reaches its containers and queues.</summary>
    public IReadOnlySet<DataPlaneResource> Reaches => Scope switch
    {
        "storage" => new HashSet<DataPlaneResource> { DataPlaneResource.StorageAccount, DataPlaneResource.ArtifactsContainer, DataPlaneResource.OutcomesQueue },
        "storage::blobServices::artifacts" => new HashSet<DataPlaneResource> { DataPlaneResource.ArtifactsContainer },
        "storage::queueServices::outcomes" => new HashSet<DataPlaneResource> { DataPlaneResource.OutcomesQueue },
        "jobQueues[i]" => new HashSet<DataPlaneResource> { DataPlaneResource.JobQueues },
        "registry" => new HashSet<DataPlaneResource> { DataPlaneResource.Registry },
        "applicationInsights" => new HashSet<DataPlaneResource> { DataPlaneResource.Telemetry },
        _ => throw new InvalidOperationException($"{Symbol}: unknown scope '{Scope}'; add what it reaches here."),
    };

    /// <summary>Whether this assignment lets <paramref name="call"/> through.</summary>
    public bool Grants(DataPlaneCall call) =>
        Workload == call.Workload && Reaches.Contains(call.Resource) && BuiltInRoles.ActionsOf(Role).Contains(call.Action);

    public static IReadOnlyList<RoleAssignment> ReadAll(string rbacBicep) =>
        [.. Block().Matches(rbacBicep).Select(m => new RoleAssignment(
            m.Groups["symbol"].Value,
            Field(m.Value, "principalId").Split('.')[0],
            Regex.Match(m.Value, @"roleDefinitions', roles\.(\w+)\)").Groups[1].Value,
            Field(m.Value, "scope")))];

    private static string Field(string block, string name) =>
        Regex.Match(block, $@"\n\s*{name}: (?<value>[^\n]+)\n").Groups["value"].Value.Trim();

    // A role assignment resource, from its declaration to the closing brace at the start of a line.
    [GeneratedRegex(@"resource (?<symbol>\w+) 'Microsoft\.Authorization/roleAssignments@[^']+' = [\s\S]*?\n[}\]]\n")]
    private static partial Regex Block();
}
