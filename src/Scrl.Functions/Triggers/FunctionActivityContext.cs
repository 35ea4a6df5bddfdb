using Microsoft.DurableTask;

namespace Scrl.Functions.Triggers;

/// <summary>The <see cref="TaskActivityContext"/> a trigger wrapper hands to a Scrl.Pipeline activity
/// (what the Durable class-registration generator would otherwise emit).</summary>
internal sealed class FunctionActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
