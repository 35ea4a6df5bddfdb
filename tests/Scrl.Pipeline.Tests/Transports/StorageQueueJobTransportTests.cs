using System.Text;
using Azure.Storage.Queues;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Tests.Azurite;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Transports;

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class StorageQueueJobTransportTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private async Task<(StorageQueueJobTransport Transport, QueueServiceClient Service, string Queue)> NewQueueAsync(TimeSpan lockDuration)
    {
        var service = new QueueServiceClient(azurite.Endpoints.ConnectionString);
        string queue = "jobs-" + Guid.NewGuid().ToString("N")[..12];
        var transport = StorageQueueJobTransport.Create(service, queue,
            new StorageQueueJobTransportOptions { LockDuration = lockDuration, PollInterval = TimeSpan.FromMilliseconds(100) });
        await transport.CreateIfNotExistsAsync(CancellationToken.None);
        return (transport, service, queue);
    }

    [Fact]
    public async Task SendReceiveComplete_RoundTripsTheJobAndRemovesIt()
    {
        var (transport, service, queue) = await NewQueueAsync(TimeSpan.FromSeconds(30));
        JobMessage sent = TestJobs.Pretrain("a") with { CallbackUri = new Uri("http://localhost/cb") };
        await transport.SendAsync(sent, CancellationToken.None);

        // The wire format is base64 JSON, as the Functions queue trigger reads it.
        var peeked = (await service.GetQueueClient(queue).PeekMessageAsync()).Value;
        Assert.Contains("\"jobId\":\"a\"", Encoding.UTF8.GetString(Convert.FromBase64String(peeked.MessageText)));

        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(sent, job.Job);
        Assert.Equal(1, job.DeliveryCount);
        await job.CompleteAsync(CancellationToken.None);
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
    }

    [Fact]
    public async Task RenewLock_TracksTheNewPopReceipt_AndKeepsTheJobHidden()
    {
        var (transport, _, _) = await NewQueueAsync(TimeSpan.FromSeconds(5));   // renewed every 2 s: 3 s of slack under load
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        for (int i = 0; i < 3; i++)
        {
            await Task.Delay(2000);
            await job.RenewLockAsync(CancellationToken.None);   // each renewal must use the previous one's receipt
        }
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        await job.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task LockExpiry_RedeliversWithDequeueCount_AndTheStaleReceiverLosesTheLock()
    {
        var (transport, _, _) = await NewQueueAsync(TimeSpan.FromSeconds(2));   // `second` must still hold it at the end under load
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob first = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        IReceivedJob second = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;

        Assert.Equal(2, second.DeliveryCount);
        await Assert.ThrowsAsync<JobLockLostException>(() => first.CompleteAsync(CancellationToken.None));
        await second.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Abandon_MakesTheJobVisibleAfterTheDelay()
    {
        var (transport, _, _) = await NewQueueAsync(TimeSpan.FromSeconds(30));
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.AbandonAsync(CancellationToken.None);
        IReceivedJob again = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(2, again.DeliveryCount);

        await again.AbandonAsync(TimeSpan.FromSeconds(4), CancellationToken.None);   // 3 s of slack for the check below
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(800), CancellationToken.None));
        IReceivedJob third = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(3, third.DeliveryCount);
        await third.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DeadLetter_MovesTheJobToThePoisonQueueWithTheReason()
    {
        var (transport, service, queue) = await NewQueueAsync(TimeSpan.FromSeconds(30));
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.DeadLetterAsync("options failed validation", CancellationToken.None);

        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        DeadLetteredJob dead = await ReadPoisonAsync(service, queue);
        Assert.Equal("options failed validation", dead.Reason);
        Assert.Equal(1, dead.DeliveryCount);
        Assert.Equal("a", JobJson.DeserializeJob(Encoding.UTF8.GetBytes(dead.Body)).JobId);
    }

    [Fact]
    public async Task Receive_MalformedBody_IsDeadLetteredAndSkipped()
    {
        var (transport, service, queue) = await NewQueueAsync(TimeSpan.FromSeconds(30));
        await service.GetQueueClient(queue).SendMessageAsync(Convert.ToBase64String("""{"jobId":"x"}"""u8.ToArray()));
        await transport.SendAsync(TestJobs.Pretrain("good"), CancellationToken.None);

        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal("good", job.Job.JobId);
        DeadLetteredJob dead = await ReadPoisonAsync(service, queue);
        Assert.Contains("not a job message", dead.Reason);
        Assert.Equal("""{"jobId":"x"}""", dead.Body);
    }

    private static async Task<DeadLetteredJob> ReadPoisonAsync(QueueServiceClient service, string queue)
    {
        var poison = (await service.GetQueueClient(StorageQueueJobTransport.PoisonQueueName(queue)).PeekMessageAsync()).Value;
        Assert.NotNull(poison);
        return JobJson.DeserializeDeadLetter(Convert.FromBase64String(poison.MessageText));
    }
}
