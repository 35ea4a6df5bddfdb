namespace Scrl.Pipeline.Access;

/// <summary>A process that runs with its own managed identity in Azure (infra/app/identity.bicep, one per workload).</summary>
public enum Workload
{
    /// <summary>The Durable Functions app: HTTP API, orchestrations, activities, the outcomes trigger.</summary>
    Functions,

    /// <summary>The job worker in its container app.</summary>
    Worker,
}
