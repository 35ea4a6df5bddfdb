using Microsoft.Extensions.Time.Testing;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Transports;

/// <summary>
/// Lock expiry runs on a fake clock, so the tests are exact however loaded the machine is; only the receive
/// waits (how long an empty queue is polled) take real time.
/// </summary>
public sealed class InMemoryJobTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Lock = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task Receive_EmptyQueue_ReturnsNullAfterWait()
    {
        var transport = new InMemoryJobTransport(Lock, _clock);
        Assert.Null(await transport.ReceiveAsync(Poll, CancellationToken.None));
    }

    [Fact]
    public async Task Receive_LockedJob_IsInvisibleUntilLockExpires_ThenRedeliveredWithHigherCount()
    {
        var transport = new InMemoryJobTransport(Lock, _clock);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);

        IReceivedJob first = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(1, first.DeliveryCount);
        _clock.Advance(Lock - TimeSpan.FromTicks(1));
        Assert.Null(await transport.ReceiveAsync(Poll, CancellationToken.None));

        _clock.Advance(TimeSpan.FromTicks(1));
        IReceivedJob second = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal("a", second.Job.JobId);
        Assert.Equal(2, second.DeliveryCount);
        await Assert.ThrowsAsync<JobLockLostException>(() => first.CompleteAsync(CancellationToken.None));
        await second.CompleteAsync(CancellationToken.None);
        _clock.Advance(Lock * 2);
        Assert.Null(await transport.ReceiveAsync(Poll, CancellationToken.None));
    }

    [Fact]
    public async Task RenewLock_KeepsJobInvisiblePastTheOriginalLock()
    {
        var transport = new InMemoryJobTransport(Lock, _clock);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        for (int i = 0; i < 4; i++)
        {
            _clock.Advance(Lock * 0.8);
            await job.RenewLockAsync(CancellationToken.None);
        }
        Assert.Null(await transport.ReceiveAsync(Poll, CancellationToken.None));
        await job.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RenewLock_AfterExpiry_ReportsTheLostLock()
    {
        var transport = new InMemoryJobTransport(Lock, _clock);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        _clock.Advance(Lock);
        await Assert.ThrowsAsync<JobLockLostException>(() => job.RenewLockAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Abandon_WithDelay_RedeliversOnlyAfterTheDelay()
    {
        var transport = new InMemoryJobTransport(Lock, _clock);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        TimeSpan delay = TimeSpan.FromSeconds(10);
        await job.AbandonAsync(delay, CancellationToken.None);

        _clock.Advance(delay - TimeSpan.FromTicks(1));
        Assert.Null(await transport.ReceiveAsync(Poll, CancellationToken.None));
        _clock.Advance(TimeSpan.FromTicks(1));
        IReceivedJob again = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(2, again.DeliveryCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => job.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeadLetter_RemovesJobAndRecordsReason()
    {
        var transport = new InMemoryJobTransport(Lock, _clock);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        DateTimeOffset deadLetteredAt = _clock.GetUtcNow();
        await job.DeadLetterAsync("bad options", CancellationToken.None);

        _clock.Advance(Lock * 2);
        Assert.Null(await transport.ReceiveAsync(Poll, CancellationToken.None));
        DeadLetteredJob dead = Assert.Single(transport.DeadLetters);
        Assert.Equal("bad options", dead.Reason);
        Assert.Equal(deadLetteredAt, dead.DeadLetteredAt);
        Assert.Equal("a", JobJson.DeserializeJob(System.Text.Encoding.UTF8.GetBytes(dead.Body)).JobId);
    }
}
