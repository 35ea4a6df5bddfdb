using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>
/// Jobs on an Azure Service Bus queue in peek-lock mode. The lock duration is the queue's setting (the KEDA
/// scaler and Bicep own it); renewals, settlement and dead-lettering are the broker's own. Bodies are UTF-8 JSON.
/// The queue's <c>$deadletterqueue</c> is read through <see cref="IDeadLetterSource"/> (same Listen right).
/// </summary>
public sealed class ServiceBusJobTransport : IJobTransport, IDeadLetterSource, IAsyncDisposable
{
    private readonly ServiceBusSender _sender;
    private readonly ServiceBusReceiver _receiver;
    private readonly ServiceBusReceiver _deadLetters;
    private readonly ILogger _log;

    /// <param name="client">The app's singleton client (one AMQP connection), built with DefaultAzureCredential.</param>
    public ServiceBusJobTransport(ServiceBusClient client, string queueName, ILogger<ServiceBusJobTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        _sender = client.CreateSender(queueName);
        // No prefetch: a prefetched message's lock ticks while it waits in the buffer, unseen by the worker.
        _receiver = client.CreateReceiver(queueName, new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 });
        // Opens its link on the first receive only: a transport that never reads dead letters never attaches to them.
        _deadLetters = client.CreateReceiver(queueName, new ServiceBusReceiverOptions
        {
            SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0,
        });
        QueueName = queueName;
        _log = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string QueueName { get; }

    public async Task SendAsync(JobMessage job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var message = new ServiceBusMessage(JobJson.Serialize(job))
        {
            // Same id for the same attempt: duplicate detection (when enabled on the queue) drops a re-post.
            MessageId = $"{job.JobId}-{job.Attempt}",
            ContentType = "application/json",
            Subject = job.Stage.ToString(),
        };
        await _sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReceivedJob?> ReceiveAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            TimeSpan left = wait - clock.Elapsed;
            if (left <= TimeSpan.Zero) return null;
            ServiceBusReceivedMessage? message = await _receiver.ReceiveMessageAsync(left, cancellationToken).ConfigureAwait(false);
            if (message is null) return null;
            try
            {
                return new ServiceBusReceivedJob(_receiver, JobJson.DeserializeJob(message.Body.ToMemory().Span), message);
            }
            catch (JsonException ex)
            {
                // A body that is not a job can never succeed: dead-letter it and keep waiting for a real one.
                _log.LogWarning("Dead-lettering malformed message {MessageId}: {Reason}", message.MessageId, ex.Message);
                await _receiver.DeadLetterMessageAsync(message, "MalformedJob", ex.Message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<IReceivedDeadLetter?> ReceiveDeadLetterAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        ServiceBusReceivedMessage? message = await _deadLetters.ReceiveMessageAsync(wait, cancellationToken).ConfigureAwait(false);
        return message is null ? null : new ServiceBusDeadLetter(_deadLetters, message);
    }

    public async ValueTask DisposeAsync()
    {
        await _deadLetters.DisposeAsync().ConfigureAwait(false);
        await _receiver.DisposeAsync().ConfigureAwait(false);
        await _sender.DisposeAsync().ConfigureAwait(false);
    }
}
