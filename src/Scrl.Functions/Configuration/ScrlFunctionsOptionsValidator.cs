using Microsoft.Extensions.Options;
using Scrl.Pipeline.Jobs;

namespace Scrl.Functions.Configuration;

/// <summary>Checks <see cref="ScrlFunctionsOptions"/> at startup and reports every problem at once.</summary>
public sealed class ScrlFunctionsOptionsValidator : IValidateOptions<ScrlFunctionsOptions>
{
    /// <summary>The stages whose jobs go to workers, so each needs a queue.</summary>
    public static readonly IReadOnlyList<StageKind> WorkerStages = [StageKind.Shard, StageKind.Pretrain, StageKind.RoiEval, StageKind.Finetune];

    public ValidateOptionsResult Validate(string? name, ScrlFunctionsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        const string section = ScrlFunctionsOptions.SectionName;
        if (options.Storage.ServiceUri is not { IsAbsoluteUri: true })
            problems.Add($"{section}:Storage:ServiceUri must be an absolute blob endpoint URI");
        if (string.IsNullOrWhiteSpace(options.Storage.Container))
            problems.Add($"{section}:Storage:Container must not be empty");
        if (string.IsNullOrWhiteSpace(options.ServiceBus.FullyQualifiedNamespace))
            problems.Add($"{section}:ServiceBus:FullyQualifiedNamespace must be set");
        foreach (StageKind stage in WorkerStages)
        {
            if (!options.ServiceBus.Queues.TryGetValue(stage, out string? queue) || string.IsNullOrWhiteSpace(queue))
                problems.Add($"{section}:ServiceBus:Queues:{stage} must name the queue of {stage} jobs");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
