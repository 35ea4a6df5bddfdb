namespace Scrl.Pipeline.Artifacts;

/// <summary>A claim held through a <see cref="LocalLockFile"/> record carrying this claim's token.</summary>
internal sealed class LocalLockFileClaim(
    string name, string lockPath, Guid token, TimeSpan leaseDuration, DateTimeOffset acquiredAt, TimeProvider clock)
    : ExpiringClaim(name, leaseDuration, acquiredAt, clock)
{
    private readonly TimeProvider _clock = clock;

    protected override Task<bool> RenewCoreAsync(DateTimeOffset newExpiry, CancellationToken cancellationToken) =>
        LocalLockFile.TryRenewAsync(lockPath, token, _clock.GetUtcNow(), newExpiry, cancellationToken);

    protected override Task ReleaseCoreAsync(CancellationToken cancellationToken) =>
        LocalLockFile.ReleaseAsync(lockPath, token, cancellationToken);
}
