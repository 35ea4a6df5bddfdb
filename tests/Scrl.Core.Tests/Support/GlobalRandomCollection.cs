namespace Scrl.Core.Tests.Support;

/// <summary>
/// Tests that seed torch's process-wide generator and then compare results bit for bit. They run alone, because
/// any test drawing from that generator in parallel would shift their draws.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "torch global generator";
}
