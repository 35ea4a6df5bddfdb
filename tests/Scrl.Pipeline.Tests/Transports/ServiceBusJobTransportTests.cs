using Azure.Messaging.ServiceBus;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Tests.ServiceBus;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Transports;

/// <summary>
/// <see cref="ServiceBusJobTransport"/> through the real Azure.Messaging.ServiceBus SDK, over AMQP, against
/// <see cref="ServiceBusTestBroker"/> on loopback (SAS via $cbs, peek-lock, management renew-lock).
/// </summary>
public sealed class ServiceBusJobTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ServiceBusTestBroker _broker = ServiceBusTestBroker.Start();
    private ServiceBusClient _client = null!;

    public Task InitializeAsync()
    {
        _client = new ServiceBusClient(_broker.ConnectionString, new ServiceBusClientOptions
        {
            RetryOptions = new ServiceBusRetryOptions { TryTimeout = TimeSpan.FromSeconds(10), MaxRetries = 1, Delay = TimeSpan.FromMilliseconds(100) },
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        _broker.Dispose();
        Assert.Empty(_broker.Faults);
    }

    private ServiceBusJobTransport NewQueue(TimeSpan lockDuration, out string queue)
    {
        queue = "jobs-" + Guid.NewGuid().ToString("N")[..12];
        _broker.CreateQueue(queue, lockDuration);
        return new ServiceBusJobTransport(_client, queue);
    }

    [Fact]
    public async Task SendReceiveComplete_RoundTripsTheJobAndRemovesIt()
    {
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(30), out string queue);
        JobMessage sent = TestJobs.Pretrain("a") with { CallbackUri = new Uri("http://localhost/cb") };
        await transport.SendAsync(sent, CancellationToken.None);

        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(sent, job.Job);
        Assert.Equal(1, job.DeliveryCount);
        await job.CompleteAsync(CancellationToken.None);
        Assert.Equal(0, _broker.CountMessages(queue));
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        // The SDK authorized each link with a SAS token the broker verified against the key.
        Assert.Contains(_broker.AuthorizedAudiences, a => a.EndsWith("/" + queue, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RenewLock_ExtendsTheLockPastItsDuration_AndKeepsTheJobHidden()
    {
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(5), out _);   // renewed every 2 s: 3 s of slack under load
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        for (int i = 0; i < 3; i++)
        {
            await Task.Delay(2000);
            await job.RenewLockAsync(CancellationToken.None);   // com.microsoft:renew-lock on the $management node
        }
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        await job.CompleteAsync(CancellationToken.None);   // 6+ s after receipt: only the renewals kept the lock
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
    }

    [Fact]
    public async Task LockExpiry_RedeliversWithDeliveryCount2_AndTheStaleHolderLosesTheLock()
    {
        // 2 s: short to wait out once, long enough that `second` still holds its lock at the end under load.
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(2), out string queue);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob first = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        IReceivedJob second = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;   // after the lock expired

        Assert.Equal("a", second.Job.JobId);
        Assert.Equal(2, second.DeliveryCount);
        var lost = await Assert.ThrowsAsync<JobLockLostException>(() => first.CompleteAsync(CancellationToken.None));
        Assert.Equal(ServiceBusFailureReason.MessageLockLost, Assert.IsType<ServiceBusException>(lost.InnerException).Reason);
        await Assert.ThrowsAsync<JobLockLostException>(() => first.RenewLockAsync(CancellationToken.None));
        await second.CompleteAsync(CancellationToken.None);
        Assert.Equal(0, _broker.CountMessages(queue));
    }

    [Fact]
    public async Task Abandon_RedeliversAtOnceWithHigherCount_AndADelayedAbandonWaitsForTheLock()
    {
        // A 4 s lock: the "still hidden" check below must end well inside it on a loaded machine.
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(4), out _);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.AbandonAsync(CancellationToken.None);
        IReceivedJob again = (await transport.ReceiveAsync(TimeSpan.FromSeconds(1), CancellationToken.None))!;   // well inside the lock: abandon released it
        Assert.Equal(2, again.DeliveryCount);
        await Assert.ThrowsAsync<JobLockLostException>(() => job.CompleteAsync(CancellationToken.None));

        // Service Bus cannot delay an abandon: the transport keeps the lock, so the job returns when it expires.
        await again.AbandonAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(800), CancellationToken.None));
        IReceivedJob third = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal(3, third.DeliveryCount);
        await third.CompleteAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DeadLetter_MovesTheJobToTheDeadLetterQueueWithReasonAndDescription()
    {
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(30), out string queue);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.DeadLetterAsync("options failed validation", CancellationToken.None);

        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None));
        ServiceBusReceivedMessage dead = await ReceiveDeadLetterAsync(queue);
        Assert.Equal("JobRejected", dead.DeadLetterReason);
        Assert.Equal("options failed validation", dead.DeadLetterErrorDescription);
        Assert.Equal(queue, dead.DeadLetterSource);
        Assert.Equal("a-1", dead.MessageId);
        Assert.Equal("application/json", dead.ContentType);
        Assert.Equal("a", JobJson.DeserializeJob(dead.Body.ToMemory().Span).JobId);
    }

    [Fact]
    public async Task DeadLetter_LongReason_IsCutToTheDescriptionCap()
    {
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(30), out string queue);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        await job.DeadLetterAsync(new string('x', 5000), CancellationToken.None);

        ServiceBusReceivedMessage dead = await ReceiveDeadLetterAsync(queue);
        Assert.Equal(4096, dead.DeadLetterErrorDescription.Length);
    }

    [Fact]
    public async Task Receive_MalformedBody_IsDeadLetteredAndSkipped()
    {
        await using ServiceBusJobTransport transport = NewQueue(TimeSpan.FromSeconds(30), out string queue);
        await using (ServiceBusSender raw = _client.CreateSender(queue))
        {
            await raw.SendMessageAsync(new ServiceBusMessage(BinaryData.FromString("""{"jobId":"x"}""")));
        }
        await transport.SendAsync(TestJobs.Pretrain("good"), CancellationToken.None);

        IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
        Assert.Equal("good", job.Job.JobId);
        ServiceBusReceivedMessage dead = await ReceiveDeadLetterAsync(queue);
        Assert.Equal("MalformedJob", dead.DeadLetterReason);
        Assert.Equal("""{"jobId":"x"}""", dead.Body.ToString());
        await job.CompleteAsync(CancellationToken.None);
    }

    private async Task<ServiceBusReceivedMessage> ReceiveDeadLetterAsync(string queue)
    {
        await using ServiceBusReceiver deadLetters = _client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
        ServiceBusReceivedMessage? dead = await deadLetters.ReceiveMessageAsync(Wait);
        Assert.NotNull(dead);
        await deadLetters.CompleteMessageAsync(dead);
        Assert.Equal(0, _broker.CountMessages(queue + "/$deadletterqueue"));
        return dead;
    }

    [Fact]
    public async Task Abandoned_UpToTheDeliveryLimit_IsDeadLetteredByTheBroker_WithItsReasonAndCount()
    {
        string queue = "jobs-" + Guid.NewGuid().ToString("N")[..12];
        _broker.CreateQueue(queue, TimeSpan.FromSeconds(30), maxDeliveryCount: 2);
        await using var transport = new ServiceBusJobTransport(_client, queue);
        JobMessage sent = TestJobs.Pretrain("a");
        await transport.SendAsync(sent, CancellationToken.None);

        for (int delivery = 1; delivery <= 2; delivery++)
        {
            IReceivedJob job = (await transport.ReceiveAsync(Wait, CancellationToken.None))!;
            Assert.Equal(delivery, job.DeliveryCount);
            await job.AbandonAsync(CancellationToken.None);
        }

        Assert.Null(await transport.ReceiveAsync(TimeSpan.FromMilliseconds(500), CancellationToken.None));
        IReceivedDeadLetter letter = (await transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!;
        Assert.Equal(sent, letter.Job);
        Assert.Equal("MaxDeliveryCountExceeded: Message could not be consumed after 2 delivery attempts.", letter.Record.Reason);
        Assert.Equal(2, letter.Record.DeliveryCount);
        await letter.CompleteAsync(CancellationToken.None);
        Assert.Equal(0, _broker.CountMessages(queue + "/$deadletterqueue"));
    }

    [Fact]
    public async Task LockLapsedUpToTheDeliveryLimit_IsDeadLetteredToo()
    {
        string queue = "jobs-" + Guid.NewGuid().ToString("N")[..12];
        _broker.CreateQueue(queue, TimeSpan.FromMilliseconds(300), maxDeliveryCount: 1);
        await using var transport = new ServiceBusJobTransport(_client, queue);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);

        Assert.NotNull(await transport.ReceiveAsync(Wait, CancellationToken.None));   // the worker dies holding it

        IReceivedDeadLetter letter = (await transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!;
        Assert.StartsWith("MaxDeliveryCountExceeded", letter.Record.Reason);
        Assert.Equal(1, letter.Record.DeliveryCount);
    }

    [Fact]
    public async Task Unreceived_PastItsTimeToLive_ExpiresIntoTheDeadLetterQueue()
    {
        string queue = "jobs-" + Guid.NewGuid().ToString("N")[..12];
        _broker.CreateQueue(queue, TimeSpan.FromSeconds(30), timeToLive: TimeSpan.FromMilliseconds(300));
        await using var transport = new ServiceBusJobTransport(_client, queue);
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);

        IReceivedDeadLetter letter = (await transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!;
        Assert.Equal("TTLExpiredException: The message expired and was dead lettered.", letter.Record.Reason);
        Assert.Equal("a", letter.Job!.JobId);
        Assert.Equal(0, _broker.CountMessages(queue));
    }
}
