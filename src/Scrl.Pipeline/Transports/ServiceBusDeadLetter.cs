using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Transports;

/// <summary>A message peek-locked from a queue's <c>$deadletterqueue</c>, with the reason the broker or a receiver gave.</summary>
internal sealed class ServiceBusDeadLetter : IReceivedDeadLetter
{
    private readonly ServiceBusReceiver _receiver;
    private readonly ServiceBusReceivedMessage _message;

    public ServiceBusDeadLetter(ServiceBusReceiver receiver, ServiceBusReceivedMessage message)
    {
        (_receiver, _message) = (receiver, message);
        string reason = string.IsNullOrEmpty(message.DeadLetterErrorDescription)
            ? message.DeadLetterReason ?? "no reason given"
            : $"{message.DeadLetterReason}: {message.DeadLetterErrorDescription}";
        // Reading it from the dead-letter queue is a delivery of its own; the job's deliveries are the ones before.
        Record = new DeadLetteredJob(reason, message.Body.ToString(), message.DeliveryCount - 1, message.EnqueuedTime);
        try
        {
            Job = JobJson.DeserializeJob(message.Body.ToMemory().Span);
        }
        catch (JsonException)
        {
            Job = null;   // dead-lettered as malformed in the first place
        }
    }

    public JobMessage? Job { get; }

    public DeadLetteredJob Record { get; }

    public Task CompleteAsync(CancellationToken cancellationToken) => _receiver.CompleteMessageAsync(_message, cancellationToken);
}
