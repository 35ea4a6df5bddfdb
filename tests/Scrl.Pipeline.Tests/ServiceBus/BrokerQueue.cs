using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;

namespace Scrl.Pipeline.Tests.ServiceBus;

/// <summary>
/// One queue of <see cref="ServiceBusTestBroker"/> with Service Bus peek-lock semantics: a delivery locks the
/// message under a fresh lock token (the delivery tag) until <see cref="LockDuration"/> passes, a renewal extends
/// it, complete removes it, abandon or lock expiry makes it deliverable again with its delivery count raised, and
/// dead-lettering moves it to <see cref="DeadLetter"/>: on request, once it has been delivered
/// <see cref="MaxDeliveryCount"/> times (<c>MaxDeliveryCountExceeded</c>), or once it outlived
/// <see cref="TimeToLive"/> unreceived (<c>TTLExpiredException</c>), as Service Bus does with
/// <c>deadLetteringOnMessageExpiration</c>. All state is guarded by the broker's one lock.
/// </summary>
internal sealed class BrokerQueue(string name, TimeSpan lockDuration, object gate, BrokerQueue? deadLetter,
                                  int maxDeliveryCount = BrokerQueue.DefaultMaxDeliveryCount, TimeSpan? timeToLive = null)
{
    /// <summary>Service Bus's default for a new queue.</summary>
    public const int DefaultMaxDeliveryCount = 10;

    private readonly List<StoredMessage> _messages = [];
    private readonly List<SendingAmqpLink> _receivers = [];
    private long _nextSequence = 1;

    public string Name { get; } = name;

    public TimeSpan LockDuration { get; } = lockDuration;

    /// <summary>The queue's <c>$deadletterqueue</c>; null for a dead-letter queue itself.</summary>
    public BrokerQueue? DeadLetter { get; } = deadLetter;

    /// <summary>Deliveries after which the broker dead-letters a message instead of delivering it again.</summary>
    public int MaxDeliveryCount { get; } = maxDeliveryCount;

    /// <summary>How long a message may wait unsettled before it expires into the dead-letter queue; null: forever.</summary>
    public TimeSpan? TimeToLive { get; } = timeToLive;

    /// <summary>Messages in the queue, locked or not (the broker-side view tests can assert on).</summary>
    public int Count
    {
        get { lock (gate) return _messages.Count; }
    }

    public void Enqueue(StoredMessage message)
    {
        lock (gate)
        {
            message.SequenceNumber = _nextSequence++;
            message.EnqueuedTime = DateTime.UtcNow;
            _messages.Add(message);
            Pump();
        }
    }

    public void AddReceiver(SendingAmqpLink link)
    {
        lock (gate) _receivers.Add(link);
        link.Closed += (_, _) => { lock (gate) _receivers.Remove(link); };
    }

    /// <summary>Hands available messages to receiver links that have credit; answers drains when nothing is left.</summary>
    public void Pump()
    {
        lock (gate)
        {
            DateTime now = DateTime.UtcNow;
            ExpireLocksAndDeadLetter(now);
            _receivers.RemoveAll(l => l.IsClosing());
            foreach (SendingAmqpLink link in _receivers)
            {
                for (uint credit = link.LinkCredit; credit > 0; credit--)
                {
                    StoredMessage? next = _messages.FirstOrDefault(m => m.IsAvailable(now));
                    if (next is null) break;
                    next.Lock(now, LockDuration);
                    link.SendMessageNoWait(next.ToDelivery(), new ArraySegment<byte>(next.LockToken!.Value.ToByteArray()), AmqpConstants.NullBinary);
                }
            }
        }
    }

    // Service Bus counts a lapsed lock as a delivery, and dead-letters a message it may not deliver again (too many
    // deliveries) or that expired, without anyone asking: the sender and the receivers see it only vanish.
    private void ExpireLocksAndDeadLetter(DateTime now)
    {
        if (DeadLetter is null) return;   // a dead-letter queue keeps what it holds
        foreach (StoredMessage message in _messages.ToList())
        {
            if (message.LockToken is not null && message.LockedUntil <= now) message.Unlock(countAsDelivery: true, null);
            if (message.LockToken is not null) continue;
            if (message.PriorDeliveries >= MaxDeliveryCount)
            {
                MoveToDeadLetter(message, "MaxDeliveryCountExceeded", $"Message could not be consumed after {MaxDeliveryCount} delivery attempts.");
            }
            else if (TimeToLive is { } ttl && message.EnqueuedTime + ttl <= now)
            {
                MoveToDeadLetter(message, "TTLExpiredException", "The message expired and was dead lettered.");
            }
        }
    }

    private void MoveToDeadLetter(StoredMessage message, string reason, string description)
    {
        _messages.Remove(message);
        var error = new Error
        {
            Condition = "com.microsoft:dead-letter",
            Info = new Fields { ["DeadLetterReason"] = reason, ["DeadLetterErrorDescription"] = description },
        };
        DeadLetter!.Enqueue(message.ToDeadLetter(Name, error, countCurrentDelivery: false));
    }

    /// <summary>Settles a delivery the way the SDK's settlement maps onto AMQP outcomes; returns the outcome to echo.</summary>
    public Outcome Settle(Guid lockToken, DeliveryState state)
    {
        lock (gate)
        {
            StoredMessage? message = _messages.FirstOrDefault(m => m.LockToken == lockToken);
            if (message is null || message.LockedUntil <= DateTime.UtcNow)
            {
                return LockLost(lockToken);
            }

            switch (state)
            {
                case Accepted accepted:                      // CompleteMessageAsync
                    _messages.Remove(message);
                    return accepted;
                case Rejected rejected:                      // DeadLetterMessageAsync
                    _messages.Remove(message);
                    DeadLetter!.Enqueue(message.ToDeadLetter(Name, rejected.Error, countCurrentDelivery: true));
                    return new Rejected();   // done; a rejected outcome *with* an error is how the SDK learns of a failure
                case Modified modified:                      // AbandonMessageAsync (propertiesToModify ride along)
                    message.Unlock(countAsDelivery: true, modified.MessageAnnotations);
                    Pump();
                    return modified;
                case Released released:
                    message.Unlock(countAsDelivery: false, null);
                    Pump();
                    return released;
                default:
                    return new Rejected { Error = new Error { Condition = AmqpErrorCode.NotImplemented, Description = $"Unsupported outcome {state}." } };
            }
        }
    }

    /// <summary>Extends the locks (com.microsoft:renew-lock); null when a token's lock is gone.</summary>
    public DateTime[]? RenewLocks(IReadOnlyList<Guid> lockTokens)
    {
        lock (gate)
        {
            DateTime now = DateTime.UtcNow;
            var expirations = new DateTime[lockTokens.Count];
            for (int i = 0; i < lockTokens.Count; i++)
            {
                StoredMessage? message = _messages.FirstOrDefault(m => m.LockToken == lockTokens[i]);
                if (message is null || message.LockedUntil <= now) return null;
                message.LockedUntil = now + LockDuration;
                expirations[i] = message.LockedUntil;
            }
            return expirations;
        }
    }

    internal static Rejected LockLost(Guid lockToken) => new()
    {
        Error = new Error
        {
            Condition = ServiceBusTestBroker.MessageLockLostCondition,
            Description = $"The lock supplied ({lockToken}) is invalid: it expired, or the message was already settled.",
        },
    };
}

/// <summary>A message as the broker keeps it: the sender's sections, plus the broker's own bookkeeping.</summary>
internal sealed class StoredMessage
{
    private readonly List<ArraySegment<byte>> _data;
    private readonly AmqpValue? _value;
    private readonly Properties? _properties;
    private readonly Dictionary<string, object> _applicationProperties;
    private readonly Dictionary<AmqpSymbol, object> _annotations;

    private StoredMessage(List<ArraySegment<byte>> data, AmqpValue? value, Properties? properties,
        Dictionary<string, object> applicationProperties, Dictionary<AmqpSymbol, object> annotations)
    {
        _data = data;
        _value = value;
        _properties = properties;
        _applicationProperties = applicationProperties;
        _annotations = annotations;
    }

    public long SequenceNumber { get; set; }

    public DateTime EnqueuedTime { get; set; }

    /// <summary>Deliveries so far, i.e. the AMQP header's delivery-count of the next delivery.</summary>
    public uint PriorDeliveries { get; private set; }

    public Guid? LockToken { get; private set; }

    public DateTime LockedUntil { get; set; }

    public static StoredMessage From(AmqpMessage message)
    {
        var data = new List<ArraySegment<byte>>();
        AmqpValue? value = null;
        if ((message.BodyType & SectionFlag.Data) != 0)
        {
            foreach (Data section in message.DataBody)
            {
                var segment = (ArraySegment<byte>)section.Value;
                data.Add(new ArraySegment<byte>(segment.AsSpan().ToArray()));
            }
        }
        else if ((message.BodyType & SectionFlag.AmqpValue) != 0)
        {
            value = new AmqpValue { Value = message.ValueBody.Value };
        }
        else if (message.BodyType != 0)
        {
            throw new AmqpException(AmqpErrorCode.NotImplemented, "The test broker keeps data and value bodies only.");
        }

        var applicationProperties = new Dictionary<string, object>();
        if ((message.Sections & SectionFlag.ApplicationProperties) != 0)
        {
            foreach (var pair in message.ApplicationProperties.Map) applicationProperties[pair.Key.Key.ToString()!] = pair.Value;
        }
        var annotations = new Dictionary<AmqpSymbol, object>();
        if ((message.Sections & SectionFlag.MessageAnnotations) != 0)
        {
            foreach (var pair in message.MessageAnnotations.Map) annotations[(AmqpSymbol)pair.Key.Key] = pair.Value;
        }
        Properties? properties = (message.Sections & SectionFlag.Properties) != 0 ? CopyProperties(message.Properties) : null;
        return new StoredMessage(data, value, properties, applicationProperties, annotations);
    }

    public bool IsAvailable(DateTime now) => LockToken is null || LockedUntil <= now;

    public void Lock(DateTime now, TimeSpan duration)
    {
        if (LockToken is not null) PriorDeliveries++;   // the previous lock expired: that delivery counted
        LockToken = Guid.NewGuid();
        LockedUntil = now + duration;
    }

    public void Unlock(bool countAsDelivery, Fields? propertiesToModify)
    {
        LockToken = null;
        if (countAsDelivery) PriorDeliveries++;
        if (propertiesToModify is not null)
        {
            foreach (var pair in propertiesToModify) _applicationProperties[pair.Key.Key.ToString()!] = pair.Value;
        }
    }

    /// <summary>The AMQP message of the next delivery: header delivery-count = prior deliveries (the SDK adds one).</summary>
    public AmqpMessage ToDelivery()
    {
        AmqpMessage message = _value is not null
            ? AmqpMessage.Create(new AmqpValue { Value = _value.Value })
            : AmqpMessage.Create(_data.Select(d => new Data { Value = d }).ToList());
        message.Header.DeliveryCount = PriorDeliveries;
        if (_properties is not null) CopyProperties(_properties, message.Properties);
        foreach (var pair in _applicationProperties) message.ApplicationProperties.Map[pair.Key] = pair.Value;
        foreach (var pair in _annotations) message.MessageAnnotations.Map[pair.Key] = pair.Value;
        message.MessageAnnotations.Map["x-opt-sequence-number"] = SequenceNumber;
        message.MessageAnnotations.Map["x-opt-enqueued-time"] = EnqueuedTime;
        if (LockToken is { } token)
        {
            message.MessageAnnotations.Map["x-opt-lock-token"] = token;
            message.MessageAnnotations.Map["x-opt-locked-until"] = LockedUntil;
        }
        return message;
    }

    /// <summary>The copy that lands in the dead-letter queue, with the reason and description as Service Bus keeps them.</summary>
    /// <param name="countCurrentDelivery">A receiver dead-letters a message it holds: that delivery counts. The broker
    /// dead-letters one nobody holds: its count stays.</param>
    public StoredMessage ToDeadLetter(string sourceQueue, Error? error, bool countCurrentDelivery)
    {
        var applicationProperties = new Dictionary<string, object>(_applicationProperties);
        if (error?.Info is { } info)
        {
            foreach (var pair in info) applicationProperties[pair.Key.Key.ToString()!] = pair.Value;
        }
        var annotations = new Dictionary<AmqpSymbol, object>(_annotations) { [new AmqpSymbol("x-opt-deadletter-source")] = sourceQueue };
        return new StoredMessage(_data, _value, _properties, applicationProperties, annotations) { PriorDeliveries = PriorDeliveries + (countCurrentDelivery ? 1u : 0u) };
    }

    private static Properties CopyProperties(Properties from, Properties? to = null)
    {
        to ??= new Properties();
        to.MessageId = from.MessageId;
        to.UserId = from.UserId;
        to.To = from.To;
        to.Subject = from.Subject;
        to.ReplyTo = from.ReplyTo;
        to.CorrelationId = from.CorrelationId;
        to.ContentType = from.ContentType;
        to.ContentEncoding = from.ContentEncoding;
        to.AbsoluteExpiryTime = from.AbsoluteExpiryTime;
        to.CreationTime = from.CreationTime;
        to.GroupId = from.GroupId;
        to.GroupSequence = from.GroupSequence;
        to.ReplyToGroupId = from.ReplyToGroupId;
        return to;
    }
}
