using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Transports;

public sealed class InMemoryJobTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Receive_EmptyQueue_ReturnsNullAfterWait()
    {
        var transport = new InMemoryJobTransport(TimeSpan.FromSeconds(1));
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task Receive_LockedJob_IsInvisibleUntilLockExpires_ThenRedeliveredWithHigherCount()
    {
        var transport = new InMemoryJobTransport(TimeSpan.FromMilliseconds(300));
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);

        IReceivedJob first = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(1, first.DeliveryCount);
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None));

        IReceivedJob second = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal("a", second.Job.JobId);
        Assert.Equal(2, second.DeliveryCount);
        await Assert.ThrowsAsync<JobLockLostException>(() => first.CompleteAsync(CancellationToken.None));
        await second.CompleteAsync(CancellationToken.None);
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
    }

    [Fact]
    public async Task RenewLock_KeepsJobInvisiblePastTheOriginalLock()
    {
        var transport = new InMemoryJobTransport(TimeSpan.FromSeconds(1));
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(400);
            await job.RenewLockAsync(CancellationToken.None);
        }
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None));
        await job.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Abandon_WithDelay_RedeliversOnlyAfterTheDelay()
    {
        var transport = new InMemoryJobTransport(TimeSpan.FromSeconds(30));
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.AbandonAsync(TimeSpan.FromMilliseconds(400), CancellationToken.None);

        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(150), CancellationToken.None));
        IReceivedJob again = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(2, again.DeliveryCount);
        await Assert.ThrowsAsync<InvalidOperationException>(() => job.CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeadLetter_RemovesJobAndRecordsReason()
    {
        var transport = new InMemoryJobTransport(TimeSpan.FromMilliseconds(200));
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.DeadLetterAsync("bad options", CancellationToken.None);

        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        DeadLetteredJob dead = Assert.Single(transport.DeadLetters);
        Assert.Equal("bad options", dead.Reason);
        Assert.Equal("a", JobJson.DeserializeJob(System.Text.Encoding.UTF8.GetBytes(dead.Body)).JobId);
    }
}
