namespace Scrl.Core.Tests.Support;

/// <summary>A clock that reads <see cref="Now"/>, so wall times in written files are predictable.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
