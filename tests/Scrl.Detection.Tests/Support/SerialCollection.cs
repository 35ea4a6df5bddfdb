namespace Scrl.Detection.Tests.Support;

/// <summary>Tests that read process-wide counters (<c>Tensor.TotalCount</c>) and so must not run beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
