namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// An exclusive, expiring claim (a blob lease or a lock file). The holder keeps it by renewing before
/// <see cref="LeaseDuration"/> passes; once a renewal is missed the claim is lost for good and another
/// claimer can win it.
/// </summary>
/// <remarks>
/// The holder's view is conservative: the expiry it tracks is measured from before each acquire or renew
/// request was sent, so <see cref="IsLost"/> turns true no later than the store would let someone else in.
/// Disposing stops auto-renewal and releases the claim if it is still held.
/// </remarks>
public interface IArtifactClaim : IAsyncDisposable
{
    /// <summary>The claim's name.</summary>
    string Name { get; }

    /// <summary>How long each acquire or renewal holds the claim.</summary>
    TimeSpan LeaseDuration { get; }

    /// <summary>True once the claim expired unrenewed or a renewal found it taken; never turns false again.</summary>
    bool IsLost { get; }

    /// <summary>Cancelled when the claim is found lost, so work guarded by it can stop.</summary>
    CancellationToken LostToken { get; }

    /// <summary>
    /// Extends the claim by <see cref="LeaseDuration"/>. Returns false (and marks the claim lost) when it had
    /// already expired or someone else holds it; throws on transport failures.
    /// </summary>
    Task<bool> RenewAsync(CancellationToken cancellationToken = default);

    /// <summary>Renews in the background every third of <see cref="LeaseDuration"/> until stopped, released or lost.</summary>
    void StartAutoRenewal();

    /// <summary>Stops background renewal; the claim then expires unless renewed by hand.</summary>
    Task StopAutoRenewalAsync();

    /// <summary>Gives the claim up so another claimer can win it at once.</summary>
    Task ReleaseAsync(CancellationToken cancellationToken = default);
}
