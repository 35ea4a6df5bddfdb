using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Jobs;

namespace Scrl.Worker.Stages;

/// <summary>
/// While a stage trains in a local run folder: uploads each new checkpoint soon after it is written (checkpoints land
/// at step boundaries, so polling the local pointer suffices), and after each upload checks the job's cancel marker,
/// firing <see cref="CancelRequested"/> when it is there. Disposing stops the loop; <see cref="FinishAsync"/> then
/// uploads what is left.
/// </summary>
internal sealed class CheckpointUploadLoop : IAsyncDisposable
{
    private readonly StageContext _context;
    private readonly RunFolderSync _sync;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _cancelMarker = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private CheckpointUploadLoop(StageContext context, RunFolderSync sync, TimeSpan interval, ILogger log, CancellationToken stoppingToken)
    {
        (_context, _sync, _log) = (context, sync, log);
        _loop = RunAsync(interval, stoppingToken);
    }

    /// <summary>Fires when the job's cancel marker was found: stop training at the next step.</summary>
    public CancellationToken CancelRequested => _cancelMarker.Token;

    public static CheckpointUploadLoop Start(StageContext context, RunFolderSync sync, TimeSpan interval, ILogger log, CancellationToken stoppingToken) =>
        new(context, sync, interval, log, stoppingToken);

    /// <summary>
    /// After training ended, however it ended: uploads the final state (within the shutdown grace when the host is
    /// stopping), then rethrows a shutdown so the job runs again and resumes from what was uploaded.
    /// </summary>
    /// <exception cref="OperationCanceledException">The claim was lost (another worker may own the prefix: nothing is
    /// uploaded) or the host is stopping.</exception>
    public async Task FinishAsync(CancellationToken stoppingToken)
    {
        await DisposeAsync().ConfigureAwait(false);
        if (_context.Claim.IsLost) throw new OperationCanceledException("The job's claim was lost.", stoppingToken);
        using (var grace = new CancellationTokenSource(_context.ShutdownGrace))
            await _sync.UploadAsync(stoppingToken.IsCancellationRequested ? grace.Token : stoppingToken).ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (_context.Claim.IsLost || stoppingToken.IsCancellationRequested) return;
                if (!await _sync.UploadAsync(stoppingToken).ConfigureAwait(false)) continue;
                if (await JobArtifacts.IsCancelRequestedAsync(_context.Store, _context.Job, stoppingToken).ConfigureAwait(false))
                {
                    _log.LogInformation("Cancel marker found; stopping at the next step");
                    await _cancelMarker.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested || stoppingToken.IsCancellationRequested)
        {
            // training ended or the host is stopping: the final upload follows
        }
    }
}
