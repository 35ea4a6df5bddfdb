using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Transports;

public sealed class FanInJobTransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Receive_TakesJobsFromEveryQueue_InTurn_SoABacklogCannotStarveAQueue()
    {
        var pretrain = new InMemoryJobTransport(TimeSpan.FromMinutes(1));
        var finetune = new InMemoryJobTransport(TimeSpan.FromMinutes(1));
        for (int i = 0; i < 3; i++) await pretrain.SendAsync(TestJobs.Pretrain($"pretrain-{i}"), CancellationToken.None);
        await finetune.SendAsync(TestJobs.Pretrain("finetune-0"), CancellationToken.None);
        var fanIn = new FanInJobTransport([pretrain, finetune]);

        var received = new List<string>();
        while (await fanIn.ReceiveAsync(Wait, CancellationToken.None) is { } job)
        {
            received.Add(job.Job.JobId);
            await job.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(["pretrain-0", "finetune-0", "pretrain-1", "pretrain-2"], received);
    }

    [Fact]
    public async Task Receive_AllQueuesEmpty_ReturnsNullWithinAboutTheWait()
    {
        var fanIn = new FanInJobTransport([new InMemoryJobTransport(TimeSpan.FromMinutes(1)), new InMemoryJobTransport(TimeSpan.FromMinutes(1))]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Null(await fanIn.ReceiveAsync(TimeSpan.FromMilliseconds(600), CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Send_IsRefused_AndNoQueuesIsAnError()
    {
        var fanIn = new FanInJobTransport([new InMemoryJobTransport(TimeSpan.FromMinutes(1))]);
        await Assert.ThrowsAsync<NotSupportedException>(() => fanIn.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None));
        Assert.Throws<ArgumentException>(() => new FanInJobTransport([]));
    }
}
