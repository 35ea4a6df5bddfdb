using Azure.Core;
using Azure.Messaging.ServiceBus;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Scrl.Pipeline.Access;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Tests.Azurite;
using Scrl.Pipeline.Tests.ServiceBus;
using Scrl.Pipeline.Tests.Transports;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Tests.Access;

/// <summary>
/// Each of our components that appears in <see cref="DataPlaneCatalogue"/> does, against Azurite and the Service Bus
/// test broker, exactly what the catalogue declares for it: the infra tests check the roles against the catalogue, so
/// a call missing here would be a call no role was checked for.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class DataPlaneCatalogueTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ArtifactStore_OnAnExistingContainer_MakesTheCataloguedCallsOnly()
    {
        string name = $"catalogue-{Guid.NewGuid():N}";
        await new BlobContainerClient(azurite.Endpoints.ConnectionString, name).CreateAsync();
        var recorder = new StorageRequestRecorder(queues: false);
        var options = new BlobClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var store = new BlobArtifactStore(new BlobContainerClient(azurite.Endpoints.ConnectionString, name, options),
                                          new BlobArtifactStoreOptions { ConnectionString = azurite.Endpoints.ConnectionString, ContainerName = name,
                                                                         TransferChecksum = StorageChecksumAlgorithm.MD5 });

        // Every member of IArtifactStore, as the worker and the activities use them.
        await ((IArtifactStore)store).UploadAsync("runs/r1/pretrain/result.json", new MemoryStream("{}"u8.ToArray()));
        await using (Stream read = await store.OpenReadAsync("runs/r1/pretrain/result.json")) await read.CopyToAsync(Stream.Null);
        await foreach (ArtifactInfo _ in store.ListAsync("runs/r1/")) { }
        Assert.True(await store.ExistsAsync("runs/r1/pretrain/result.json"));
        await using (IArtifactClaim claim = (await store.TryClaimAsync("jobs/j1", BlobArtifactStore.MinLeaseDuration))!)
            await claim.RenewAsync(CancellationToken.None);
        Assert.True(await store.DeleteAsync("runs/r1/pretrain/result.json"));

        Assert.Empty(recorder.Unknown);
        Assert.Equal(DataPlaneCatalogue.ActionsOf(DataPlaneComponent.ArtifactStore).Order(), recorder.Actions.Order());
    }

    [Fact]
    public async Task OutcomeSender_OnlySendsMessages()
    {
        string name = $"outcomes-{Guid.NewGuid():N}"[..30];
        await new QueueClient(azurite.Endpoints.ConnectionString, name).CreateAsync();
        var recorder = new StorageRequestRecorder(queues: true);
        var options = new QueueClientOptions();
        options.AddPolicy(recorder, HttpPipelinePosition.PerCall);
        var sink = new StorageQueueOutcomeSink(new QueueClient(azurite.Endpoints.ConnectionString, name, options));
        JobMessage job = TestJobs.Pretrain("a");

        await sink.ReportOutcomeAsync(job, new JobOutcome(job.JobId, JobStatus.Succeeded, null, new Dictionary<string, double>(), []), CancellationToken.None);

        Assert.Empty(recorder.Unknown);
        Assert.Equal(DataPlaneCatalogue.ActionsOf(DataPlaneComponent.OutcomeSender).Order(), recorder.Actions.Order());
    }

    [Fact]
    public async Task JobSenderAndReceiver_UseTheSendAndListenClaimsOnly()
    {
        using ServiceBusTestBroker broker = ServiceBusTestBroker.Start();
        broker.CreateQueue("pretrain", TimeSpan.FromSeconds(30));
        await using (var functions = new ServiceBusClient(broker.ConnectionString))
        await using (var sender = new ServiceBusJobTransport(functions, "pretrain"))
            await sender.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        string[] sent = [.. broker.ClaimsUsed.Select(c => c.Claim).Distinct()];
        int sentLinks = broker.ClaimsUsed.Count;

        await using (var worker = new ServiceBusClient(broker.ConnectionString))
        await using (var receiver = new ServiceBusJobTransport(worker, "pretrain"))
        {
            IReceivedJob job = (await receiver.ReceiveAsync(Wait, CancellationToken.None))!;
            await job.RenewLockAsync(CancellationToken.None);
            await job.CompleteAsync(CancellationToken.None);
        }
        string[] received = [.. broker.ClaimsUsed.Skip(sentLinks).Select(c => c.Claim).Distinct()];

        Assert.Equal([Claim(DataPlaneCatalogue.ActionsOf(DataPlaneComponent.JobSender))], sent);
        Assert.Equal([Claim(DataPlaneCatalogue.ActionsOf(DataPlaneComponent.JobReceiver))], received);
        Assert.All(broker.ClaimsUsed, c => Assert.Equal("pretrain", c.Entity));
        Assert.Empty(broker.Faults);
    }

    [Fact]
    public async Task DeadLetterReader_UsesTheReceiversListenClaimOnly()
    {
        using ServiceBusTestBroker broker = ServiceBusTestBroker.Start();
        broker.CreateQueue("pretrain", TimeSpan.FromSeconds(30), maxDeliveryCount: 1);
        await using var worker = new ServiceBusClient(broker.ConnectionString);
        await using var transport = new ServiceBusJobTransport(worker, "pretrain");
        await transport.SendAsync(TestJobs.Pretrain("a"), CancellationToken.None);
        await (await transport.ReceiveAsync(Wait, CancellationToken.None))!.AbandonAsync(CancellationToken.None);
        int before = broker.ClaimsUsed.Count;

        IReceivedDeadLetter letter = (await transport.ReceiveDeadLetterAsync(Wait, CancellationToken.None))!;
        await letter.CompleteAsync(CancellationToken.None);

        // $deadletterqueue is a sub-queue of the job queue: the worker's receiver role on that queue covers it.
        Assert.Equal([("pretrain/$deadletterqueue", Claim(DataPlaneCatalogue.ActionsOf(DataPlaneComponent.JobReceiver)))],
                     broker.ClaimsUsed.Skip(before).Distinct());
        Assert.Empty(broker.Faults);
    }

    private static string Claim(IReadOnlySet<DataPlaneAction> actions) => Assert.Single(actions) switch
    {
        DataPlaneAction.ServiceBusSend => "Send",
        DataPlaneAction.ServiceBusListen => "Listen",
        var other => throw new ArgumentOutOfRangeException(nameof(actions), other, "not a Service Bus claim"),
    };
}
