namespace Scrl.Pipeline.Jobs;

/// <summary>
/// A dead-lettered job: what a transport without a native dead-letter queue (Storage queues, in-memory) stores, and
/// what a Service Bus dead letter reads as. The original body verbatim, so even a body that is not a valid
/// <see cref="JobMessage"/> survives.
/// </summary>
/// <param name="Body">The message body exactly as received (JSON text when it was well formed).</param>
/// <param name="DeliveryCount">Deliveries before it was dead-lettered.</param>
public sealed record DeadLetteredJob(string Reason, string Body, int DeliveryCount, DateTimeOffset DeadLetteredAt);
