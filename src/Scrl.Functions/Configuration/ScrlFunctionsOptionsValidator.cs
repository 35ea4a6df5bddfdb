using Microsoft.Extensions.Options;
using Scrl.Pipeline.Jobs;

namespace Scrl.Functions.Configuration;

/// <summary>Checks <see cref="ScrlFunctionsOptions"/> at startup and reports every problem at once.</summary>
public sealed class ScrlFunctionsOptionsValidator : IValidateOptions<ScrlFunctionsOptions>
{
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
        problems.AddRange(StageQueues.Problems(options.ServiceBus.Queues, $"{section}:ServiceBus:Queues"));
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
