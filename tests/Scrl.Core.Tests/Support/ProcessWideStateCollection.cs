namespace Scrl.Core.Tests.Support;

/// <summary>
/// Tests that depend on process-wide state run alone: those that seed torch's global generator and compare
/// results bit for bit, and those that measure the live-tensor count or resident memory of the process.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "process-wide state";
}
