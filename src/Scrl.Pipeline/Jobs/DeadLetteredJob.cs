namespace Scrl.Pipeline.Jobs;

/// <summary>
/// A job moved aside by a transport that has no native dead-letter queue (Storage queues, in-memory):
/// the original body verbatim, so even a body that is not a valid <see cref="JobMessage"/> survives.
/// </summary>
/// <param name="Body">The message body exactly as received (JSON text when it was well formed).</param>
/// <param name="DeliveryCount">Deliveries before it was dead-lettered.</param>
public sealed record DeadLetteredJob(string Reason, string Body, int DeliveryCount, DateTimeOffset DeadLetteredAt);
