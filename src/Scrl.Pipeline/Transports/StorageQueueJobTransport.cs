using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// Jobs on an Azure Storage queue (Azurite locally). The visibility timeout is the lock; renewing extends it
/// with UpdateMessage, which hands out a new pop receipt each time. Dead-lettered jobs go to
/// <c>{queue}-poison</c> (the Functions convention) wrapped in a <see cref="DeadLetteredJob"/> with the reason.
/// </summary>
public sealed class StorageQueueJobTransport : IJobTransport
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly StorageQueueJobTransportOptions _options;
    private readonly ILogger _log;

    /// <param name="queue">The jobs queue; its client must not set a message encoding (bodies are base64 already).</param>
    /// <param name="poison">Where dead-lettered jobs go; usually <c>{queue}-poison</c> (<see cref="PoisonQueueName"/>).</param>
    public StorageQueueJobTransport(QueueClient queue, QueueClient poison, StorageQueueJobTransportOptions options,
                                    ILogger<StorageQueueJobTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(poison);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _queue = queue;
        _poison = poison;
        _options = options;
        _log = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Uses <c>{queueName}</c> and <c>{queueName}-poison</c> on <paramref name="service"/>.</summary>
    public static StorageQueueJobTransport Create(QueueServiceClient service, string queueName, StorageQueueJobTransportOptions options,
                                                  ILogger<StorageQueueJobTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new(service.GetQueueClient(queueName), service.GetQueueClient(PoisonQueueName(queueName)), options, logger);
    }

    public static string PoisonQueueName(string queueName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return queueName + "-poison";
    }

    public string QueueName => _queue.Name;

    internal QueueClient Poison => _poison;

    /// <summary>Creates the jobs and poison queues if they do not exist yet: the emulator does at its start-up, standing in
    /// for infra; a worker never does.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(JobMessage job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await _queue.SendMessageAsync(StorageQueueBody.Encode(JobJson.Serialize(job)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            QueueMessage[] messages = (await _queue.ReceiveMessagesAsync(1, _options.LockDuration, cancellationToken).ConfigureAwait(false)).Value;
            if (messages.Length == 1)
            {
                if (await TryParseAsync(messages[0], cancellationToken).ConfigureAwait(false) is { } job)
                    return new StorageQueueReceivedJob(this, _queue, job, messages[0], _options.LockDuration);
                continue;   // a malformed message was moved aside: look again at once
            }
            TimeSpan left = wait - clock.Elapsed;
            if (left <= TimeSpan.Zero) return null;
            await Task.Delay(left < _options.PollInterval ? left : _options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // A body that is not a job can never succeed: move it to the poison queue instead of handing it out.
    private async Task<JobMessage?> TryParseAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        string reason;
        try
        {
            return JobJson.DeserializeJob(StorageQueueBody.Decode(message.MessageText));
        }
        catch (FormatException ex)
        {
            reason = $"The body is not base64: {ex.Message}";
        }
        catch (JsonException ex)
        {
            reason = $"The body is not a job message: {ex.Message}";
        }
        _log.LogWarning("Dead-lettering malformed message {MessageId} from {Queue}: {Reason}", message.MessageId, _queue.Name, reason);
        await SendToPoisonAsync(message.MessageText, reason, (int)message.DequeueCount, cancellationToken).ConfigureAwait(false);
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        return null;
    }

    internal async Task SendToPoisonAsync(string body, string reason, int deliveryCount, CancellationToken cancellationToken)
    {
        var record = new DeadLetteredJob(reason, StorageQueueBody.ToText(body), deliveryCount, DateTimeOffset.UtcNow);
        await _poison.SendMessageAsync(StorageQueueBody.Encode(JobJson.Serialize(record)), cancellationToken).ConfigureAwait(false);
    }
}
