using Azure;
using Azure.Storage.Blobs.Specialized;

namespace Scrl.Pipeline.Artifacts;

/// <summary>A claim held as a lease on a marker blob.</summary>
internal sealed class BlobLeaseClaim(
    string name, BlobLeaseClient lease, TimeSpan leaseDuration, DateTimeOffset acquiredAt, TimeProvider clock)
    : ExpiringClaim(name, leaseDuration, acquiredAt, clock)
{
    protected override async Task<bool> RenewCoreAsync(DateTimeOffset newExpiry, CancellationToken cancellationToken)
    {
        try
        {
            await lease.RenewAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409)
        {
            // 409: another lease id holds the marker (LeaseIdMismatchWithLeaseOperation) or no lease is
            // present; 404: the marker blob is gone. Either way the claim is no longer ours.
            return false;
        }
    }

    protected override async Task ReleaseCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            await lease.ReleaseAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409)
        {
            // Already expired and taken, or the marker is gone: nothing of ours left to release.
        }
    }
}
