using Azure.Core;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Jobs;

namespace Scrl.Functions.Tests;

public sealed class StageQueueJobTransportTests
{
    // Building a client opens no connection; these tests never reach the namespace.
    private static readonly TokenCredential NoCredential =
        DelegatedTokenCredential.Create((_, _) => new AccessToken("unused", DateTimeOffset.MaxValue));

    [Fact]
    public async Task SendAsync_StageWithoutQueue_ThrowsNamingTheSetting()
    {
        await using var client = new ServiceBusClient("sb-test.servicebus.windows.net", NoCredential);
        await using var transport = new StageQueueJobTransport(client, new Dictionary<StageKind, string> { [StageKind.Pretrain] = "pretrain" },
                                                               NullLoggerFactory.Instance);
        var job = new JobMessage("run-1-finetune", "run-1", StageKind.Finetune, 1, "{}", "runs/run-1/finetune/", DateTimeOffset.UnixEpoch);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => transport.SendAsync(job, CancellationToken.None));

        Assert.Contains("Scrl:ServiceBus:Queues:Finetune", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_IsNotOffered_TheAppOnlyPostsJobs()
    {
        await using var client = new ServiceBusClient("sb-test.servicebus.windows.net", NoCredential);
        await using var transport = new StageQueueJobTransport(client, new Dictionary<StageKind, string>(), NullLoggerFactory.Instance);

        await Assert.ThrowsAsync<NotSupportedException>(() => transport.ReceiveAsync(TimeSpan.Zero, CancellationToken.None));
    }
}
