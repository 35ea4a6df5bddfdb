namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// The store-independent half of a claim: expiry tracking, the lost signal and background renewal.
/// Subclasses only talk to the store.
/// </summary>
internal abstract class ExpiringClaim : IArtifactClaim
{
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _lost = new();
    private readonly SemaphoreSlim _renewGate = new(1, 1);
    private DateTimeOffset _expiresAt;
    private CancellationTokenSource? _autoRenewStop;
    private Task? _autoRenewLoop;
    private bool _released;

    /// <param name="acquiredAt">Clock reading taken before the acquire request was sent.</param>
    protected ExpiringClaim(string name, TimeSpan leaseDuration, DateTimeOffset acquiredAt, TimeProvider clock)
    {
        Name = name;
        LeaseDuration = leaseDuration;
        _clock = clock;
        _expiresAt = acquiredAt + leaseDuration;
    }

    public string Name { get; }

    public TimeSpan LeaseDuration { get; }

    public bool IsLost
    {
        get
        {
            if (!_lost.IsCancellationRequested && !_released && _clock.GetUtcNow() >= _expiresAt) MarkLost();
            return _lost.IsCancellationRequested;
        }
    }

    public CancellationToken LostToken => _lost.Token;

    public async Task<bool> RenewAsync(CancellationToken cancellationToken = default)
    {
        await _renewGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_released, this);
            if (IsLost) return false;
            DateTimeOffset sentAt = _clock.GetUtcNow();
            if (!await RenewCoreAsync(sentAt + LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                MarkLost();
                return false;
            }
            // A renewal that completed only after the old expiry leaves a gap in which someone else could
            // have won the claim and given it up again: treat it as lost.
            if (IsLost) return false;
            _expiresAt = sentAt + LeaseDuration;
            return true;
        }
        finally
        {
            _renewGate.Release();
        }
    }

    public void StartAutoRenewal()
    {
        ObjectDisposedException.ThrowIf(_released, this);
        if (_autoRenewLoop is not null) return;
        _autoRenewStop = new CancellationTokenSource();
        _autoRenewLoop = RenewUntilStoppedAsync(_autoRenewStop.Token);
    }

    public async Task StopAutoRenewalAsync()
    {
        if (_autoRenewStop is null || _autoRenewLoop is null) return;
        await _autoRenewStop.CancelAsync().ConfigureAwait(false);
        await _autoRenewLoop.ConfigureAwait(false);
        _autoRenewStop.Dispose();
        _autoRenewStop = null;
        _autoRenewLoop = null;
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        await StopAutoRenewalAsync().ConfigureAwait(false);
        await _renewGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_released) return;
            bool held = !IsLost;
            _released = true;
            if (held) await ReleaseCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _renewGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        _lost.Dispose();
        _renewGate.Dispose();
    }

    /// <summary>Extends the claim in the store; false when it is no longer ours.</summary>
    protected abstract Task<bool> RenewCoreAsync(DateTimeOffset newExpiry, CancellationToken cancellationToken);

    /// <summary>Gives the claim up in the store; only called while it is still held.</summary>
    protected abstract Task ReleaseCoreAsync(CancellationToken cancellationToken);

    private void MarkLost()
    {
        try { _lost.Cancel(); }
        catch (ObjectDisposedException) { } // disposed claims are released, not lost
    }

    private async Task RenewUntilStoppedAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(LeaseDuration / 3, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    if (!await RenewAsync(stop).ConfigureAwait(false)) return;
                }
                catch (Exception ex) when (ex is IOException or Azure.RequestFailedException)
                {
                    // Transient: the next tick retries; a claim that stays unrenewable expires and is lost.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
