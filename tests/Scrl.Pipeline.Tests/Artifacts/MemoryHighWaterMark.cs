using System.Diagnostics;

namespace Scrl.Pipeline.Tests.Artifacts;

/// <summary>
/// Samples this process's working set every 50 ms and keeps the highest growth over the starting value,
/// so a test can show a transfer streamed rather than buffered. Other tests running in parallel add to it,
/// which only makes the bound stricter.
/// </summary>
internal sealed class MemoryHighWaterMark : IAsyncDisposable
{
    private readonly long _baseline;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peak;

    public MemoryHighWaterMark()
    {
        _baseline = CurrentWorkingSet();
        _peak = _baseline;
        _sampler = SampleAsync(_stop.Token);
    }

    /// <summary>Highest working set seen minus the working set at construction.</summary>
    public long PeakGrowthBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak) - _baseline;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (await timer.WaitForNextTickAsync(stop)) Sample();
    }

    private void Sample()
    {
        long now = CurrentWorkingSet();
        long seen;
        while (now > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen) { }
    }

    private static long CurrentWorkingSet()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }
}
