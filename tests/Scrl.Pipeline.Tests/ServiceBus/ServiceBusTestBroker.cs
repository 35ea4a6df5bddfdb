using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Amqp;
using Microsoft.Azure.Amqp.Encoding;
using Microsoft.Azure.Amqp.Framing;
using Microsoft.Azure.Amqp.Sasl;
using Microsoft.Azure.Amqp.Transport;

namespace Scrl.Pipeline.Tests.ServiceBus;

/// <summary>
/// A small AMQP 1.0 broker on loopback that speaks as much of Service Bus as the Azure.Messaging.ServiceBus SDK
/// needs for a peek-lock queue: SASL (the SDK's <c>MSSBCBS</c>, ANONYMOUS), claims-based security on <c>$cbs</c>
/// (put-token with the SAS token checked against the key), sends to a queue, peek-lock receives with the lock
/// token as delivery tag, settlement (accepted = complete, modified/released = abandon, rejected = dead-letter
/// into <c>{queue}/$deadletterqueue</c>), the broker's own dead-lettering past a queue's delivery limit or message time
/// to live, and <c>com.microsoft:renew-lock</c> on <c>{queue}/$management</c>.
/// It is built on Microsoft.Azure.Amqp, the SDK's own AMQP stack, on the listener side.
/// Connect with <see cref="ConnectionString"/>: <c>UseDevelopmentEmulator=true</c> makes the SDK use plain AMQP on
/// the endpoint's port.
/// </summary>
public sealed class ServiceBusTestBroker : IRuntimeProvider, IDisposable
{
    public const string KeyName = "test";
    internal const string DeadLetterSuffix = "/$deadletterqueue";
    internal static readonly AmqpSymbol MessageLockLostCondition = "com.microsoft:message-lock-lost";
    private const string ManagementSuffix = "/$management";
    private const string CbsNode = "$cbs";

    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, BrokerQueue> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SendingAmqpLink> _replyLinks = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _authorizedAudiences = new();
    private readonly ConcurrentQueue<Exception> _faults = new();
    private readonly ConcurrentQueue<(string Entity, string Claim)> _claimsUsed = new();
    private readonly AmqpConnectionListener _listener;
    private readonly Timer _lockExpiry;
    private readonly byte[] _key;

    private ServiceBusTestBroker(int port, string key)
    {
        Port = port;
        Key = key;
        _key = Encoding.UTF8.GetBytes(key);   // Service Bus signs with the key's text, not its base64 bytes
        var settings = new AmqpSettings { RuntimeProvider = this };
        var sasl = new SaslTransportProvider();
        sasl.Versions.Add(new AmqpVersion(1, 0, 0));
        sasl.AddHandler(new SaslAnonymousHandler("MSSBCBS"));   // the SDK's mechanism when tokens go through $cbs
        sasl.AddHandler(new SaslAnonymousHandler());
        settings.TransportProviders.Add(sasl);
        var amqp = new AmqpTransportProvider();
        amqp.Versions.Add(new AmqpVersion(1, 0, 0));
        settings.TransportProviders.Add(amqp);
        _listener = new AmqpConnectionListener([$"amqp://127.0.0.1:{port}"], settings,
            new AmqpConnectionSettings { ContainerId = "scrl-test-broker", MaxFrameSize = 64 * 1024 });
        _listener.Open();
        _lockExpiry = new Timer(_ => PumpAll(), null, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
    }

    public int Port { get; }

    /// <summary>The shared access key the broker checks SAS tokens against.</summary>
    public string Key { get; }

    public string ConnectionString =>
        $"Endpoint=sb://127.0.0.1:{Port}/;SharedAccessKeyName={KeyName};SharedAccessKey={Key};UseDevelopmentEmulator=true";

    /// <summary>Audiences of the put-token requests the broker accepted, in order.</summary>
    public IReadOnlyCollection<string> AuthorizedAudiences => _authorizedAudiences;

    /// <summary>
    /// The Service Bus claim each link a client attached needs, with its queue: <c>Send</c> for a sender link,
    /// <c>Listen</c> for a receiver and for <c>$management</c> (its one operation here, renew-lock, is a receiver's).
    /// </summary>
    public IReadOnlyCollection<(string Entity, string Claim)> ClaimsUsed => _claimsUsed;

    /// <summary>Exceptions the broker's own handlers threw: a test that ends with any has found a broker bug.</summary>
    public IReadOnlyCollection<Exception> Faults => _faults;

    public static ServiceBusTestBroker Start()
    {
        string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // A free port: bind to 0, read it, release it. The window before the broker binds it again is tiny.
        for (int attempt = 0; ; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new ServiceBusTestBroker(port, key);
            }
            catch (SocketException) when (attempt < 5)
            {
                // Someone else took the port in between: try another.
            }
        }
    }

    /// <summary>Creates a queue (and its dead-letter queue) with the given lock duration, delivery limit and message
    /// time to live (the queue properties of infra/app/servicebus.bicep).</summary>
    public void CreateQueue(string name, TimeSpan lockDuration, int maxDeliveryCount = BrokerQueue.DefaultMaxDeliveryCount,
                            TimeSpan? timeToLive = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDeliveryCount, 1);
        var deadLetter = new BrokerQueue(name + DeadLetterSuffix, lockDuration, _gate, null);
        if (!_queues.TryAdd(name, new BrokerQueue(name, lockDuration, _gate, deadLetter, maxDeliveryCount, timeToLive)))
        {
            throw new InvalidOperationException($"Queue '{name}' exists.");
        }
        _queues[deadLetter.Name] = deadLetter;
    }

    /// <summary>Messages (locked or not) in a queue or a <c>{queue}/$deadletterqueue</c>.</summary>
    public int CountMessages(string path) => Resolve(path).Count;

    public void Dispose()
    {
        _lockExpiry.Dispose();
        _listener.Close();
    }

    // ---- IRuntimeProvider: connections, sessions, links ----

    AmqpConnection IConnectionFactory.CreateConnection(TransportBase transport, ProtocolHeader protocolHeader, bool isInitiator,
        AmqpSettings amqpSettings, AmqpConnectionSettings connectionSettings) =>
        new(transport, protocolHeader, isInitiator, amqpSettings, connectionSettings);

    AmqpSession ISessionFactory.CreateSession(AmqpConnection connection, AmqpSessionSettings settings) =>
        new(connection, settings, this);

    // An unknown entity throws from here; the SDK then sees its link aborted (not MessagingEntityNotFound: the
    // broker does not model Service Bus's refusal of an attach).
    AmqpLink ILinkFactory.CreateLink(AmqpSession session, AmqpLinkSettings settings)
    {
        // settings.Role is the broker's role: true = the broker receives (the client attached a sender).
        if (settings.Role == true)
        {
            string node = ((Target)settings.Target).Address.ToString()!;
            settings.TotalLinkCredit = 100;
            settings.AutoSendFlow = true;
            settings.MaxMessageSize = 256 * 1024;
            var link = new ReceivingAmqpLink(session, settings);
            if (node == CbsNode)
            {
                link.RegisterMessageListener(m => OnRequest(link, m, HandlePutToken));
            }
            else if (node.EndsWith(ManagementSuffix, StringComparison.OrdinalIgnoreCase))
            {
                BrokerQueue queue = Resolve(node[..^ManagementSuffix.Length]);
                _claimsUsed.Enqueue((queue.Name, "Listen"));
                link.RegisterMessageListener(m => OnRequest(link, m, request => HandleManagement(queue, request)));
            }
            else
            {
                BrokerQueue queue = Resolve(node);
                _claimsUsed.Enqueue((queue.Name, "Send"));
                link.RegisterMessageListener(m => OnSend(link, queue, m));
            }
            return link;
        }
        else
        {
            string node = ((Source)settings.Source).Address.ToString()!;
            var link = new SendingAmqpLink(session, settings);
            if (node == CbsNode || node.EndsWith(ManagementSuffix, StringComparison.OrdinalIgnoreCase))
            {
                // The response half of a request/response pair: requests name it by its target address (reply-to).
                string replyTo = ((Target)settings.Target).Address.ToString()!;
                _replyLinks[replyTo] = link;
                link.Closed += (_, _) => _replyLinks.TryRemove(new KeyValuePair<string, SendingAmqpLink>(replyTo, link));
                link.RegisterDispositionListener(_ => { });
            }
            else
            {
                BrokerQueue queue = Resolve(node);
                _claimsUsed.Enqueue((queue.Name, "Listen"));
                link.RegisterCreditListener((_, _, _) => queue.Pump());
                link.RegisterDispositionListener(delivery => OnDisposition(link, queue, delivery));
                queue.AddReceiver(link);
            }
            return link;
        }
    }

    IAsyncResult ILinkFactory.BeginOpenLink(AmqpLink link, TimeSpan timeout, AsyncCallback callback, object state)
    {
        var result = new CompletedResult(state);
        callback(result);
        return result;
    }

    void ILinkFactory.EndOpenLink(IAsyncResult result)
    {
    }

    // ---- queues ----

    private BrokerQueue Resolve(string path)
    {
        string name = path.StartsWith("amqp://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("sb://", StringComparison.OrdinalIgnoreCase)
            ? new Uri(path).AbsolutePath.Trim('/')
            : path.Trim('/');
        return _queues.TryGetValue(name, out BrokerQueue? queue)
            ? queue
            : throw new AmqpException(AmqpErrorCode.NotFound, $"The messaging entity '{name}' could not be found.");
    }

    private void PumpAll()
    {
        foreach (BrokerQueue queue in _queues.Values) queue.Pump();
    }

    private static void OnSend(ReceivingAmqpLink link, BrokerQueue queue, AmqpMessage message)
    {
        try
        {
            queue.Enqueue(StoredMessage.From(message));
            link.AcceptMessage(message, true);
        }
        catch (AmqpException ex)
        {
            link.RejectMessage(message, ex);
        }
        finally
        {
            message.Dispose();
        }
    }

    private void OnDisposition(SendingAmqpLink link, BrokerQueue queue, Delivery delivery)
    {
        if (delivery.Settled || delivery.State is not Outcome)
        {
            return;   // receive-and-delete or a non-terminal state: nothing to settle
        }
        try
        {
            var lockToken = new Guid(delivery.DeliveryTag.AsSpan());
            Outcome outcome = queue.Settle(lockToken, delivery.State);
            link.DisposeDelivery(delivery, true, outcome);
        }
        catch (Exception ex)
        {
            _faults.Enqueue(ex);
            throw;
        }
    }

    // ---- request/response nodes: $cbs and {queue}/$management ----

    private void OnRequest(ReceivingAmqpLink link, AmqpMessage request, Func<AmqpMessage, AmqpMessage> handle)
    {
        try
        {
            AmqpMessage response;
            try
            {
                response = handle(request);
            }
            catch (Exception ex)
            {
                _faults.Enqueue(ex);
                response = AmqpMessage.Create();
                response.ApplicationProperties.Map["statusCode"] = (int)HttpStatusCode.InternalServerError;
                response.ApplicationProperties.Map["status-code"] = (int)HttpStatusCode.InternalServerError;
                response.ApplicationProperties.Map["statusDescription"] = ex.Message;
                response.ApplicationProperties.Map["status-description"] = ex.Message;
            }
            response.Properties.CorrelationId = request.Properties.MessageId;
            string replyTo = request.Properties.ReplyTo?.ToString() ?? "";
            if (_replyLinks.TryGetValue(replyTo, out SendingAmqpLink? replyLink))
            {
                replyLink.SendMessageNoWait(response, new ArraySegment<byte>(Guid.NewGuid().ToByteArray()), AmqpConstants.NullBinary);
            }
            link.AcceptMessage(request, true);
        }
        finally
        {
            request.Dispose();
        }
    }

    private AmqpMessage HandlePutToken(AmqpMessage request)
    {
        var properties = request.ApplicationProperties.Map;
        string operation = properties["operation"] as string ?? "";
        string audience = properties["name"] as string ?? "";
        string token = request.ValueBody?.Value as string ?? "";
        (int status, string description) = operation != "put-token"
            ? (400, $"Unsupported $cbs operation '{operation}'.")
            : ValidateSasToken(token, audience);
        if (status == 200) _authorizedAudiences.Enqueue(audience);
        AmqpMessage response = AmqpMessage.Create();
        response.ApplicationProperties.Map["status-code"] = status;
        response.ApplicationProperties.Map["status-description"] = description;
        return response;
    }

    /// <summary>Checks a <c>SharedAccessSignature sr=..&amp;sig=..&amp;se=..&amp;skn=..</c> token as Service Bus does.</summary>
    private (int Status, string Description) ValidateSasToken(string token, string audience)
    {
        const string prefix = "SharedAccessSignature ";
        if (!token.StartsWith(prefix, StringComparison.Ordinal)) return (401, "Not a shared access signature.");
        Dictionary<string, string> fields = token[prefix.Length..].Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.OrdinalIgnoreCase);
        if (!fields.TryGetValue("sr", out string? resource) || !fields.TryGetValue("sig", out string? signature)
            || !fields.TryGetValue("se", out string? expiry) || !fields.TryGetValue("skn", out string? keyName))
        {
            return (401, "The signature lacks sr, sig, se or skn.");
        }
        if (keyName != KeyName) return (401, $"Unknown key name '{keyName}'.");
        if (DateTimeOffset.FromUnixTimeSeconds(long.Parse(expiry)) < DateTimeOffset.UtcNow) return (401, "The token expired.");
        // A namespace-wide token (the SDK signs the namespace as amqps://host/) covers every entity under it;
        // the scheme and port are not part of what is compared.
        string signedResource = WebUtility.UrlDecode(resource);
        if (!WithoutScheme(audience).StartsWith(WithoutScheme(signedResource).TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
        {
            return (401, $"The token is for '{signedResource}', not '{audience}'.");
        }
        byte[] expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(resource + "\n" + expiry));
        byte[] actual = Convert.FromBase64String(WebUtility.UrlDecode(signature));
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? (200, "OK") : (401, "The signature does not match.");
    }

    private static string WithoutScheme(string resource) =>
        Uri.TryCreate(resource, UriKind.Absolute, out Uri? uri) ? uri.Host + uri.AbsolutePath : resource;

    private static AmqpMessage HandleManagement(BrokerQueue queue, AmqpMessage request)
    {
        string operation = request.ApplicationProperties.Map["operation"] as string ?? "";
        AmqpMessage response;
        AmqpMap? body = request.ValueBody?.Value as AmqpMap;
        if (operation == "com.microsoft:renew-lock" && body?[new MapKey("lock-tokens")] is Guid[] tokens)
        {
            DateTime[]? expirations = queue.RenewLocks(tokens);
            if (expirations is null) return LockLostResponse();
            response = AmqpMessage.Create(new AmqpValue { Value = new AmqpMap { [new MapKey("expirations")] = expirations } });
            response.ApplicationProperties.Map["statusCode"] = (int)HttpStatusCode.OK;
            return response;
        }
        if (operation == "com.microsoft:update-disposition" && body?[new MapKey("lock-tokens")] is Guid[] settled)
        {
            // The SDK's way to settle a lock token its receive link no longer holds (a stale or reconnected link).
            DeliveryState state = (body[new MapKey("disposition-status")] as string) switch
            {
                "completed" => new Accepted(),
                "abandoned" => new Modified { DeliveryFailed = true, MessageAnnotations = ToFields(body[new MapKey("properties-to-modify")] as AmqpMap) },
                "suspended" => new Rejected
                {
                    Error = new Error
                    {
                        Condition = "com.microsoft:dead-letter",
                        Info = new Fields
                        {
                            ["DeadLetterReason"] = body[new MapKey("deadletter-reason")] as string,
                            ["DeadLetterErrorDescription"] = body[new MapKey("deadletter-description")] as string,
                        },
                    },
                },
                string other => throw new AmqpException(AmqpErrorCode.NotImplemented, $"Disposition '{other}' is not implemented."),
                null => throw new AmqpException(AmqpErrorCode.InvalidField, "disposition-status is missing."),
            };
            foreach (Guid token in settled)
            {
                if (queue.Settle(token, state) is Rejected { Error: not null } failed && failed.Error.Condition.Equals(MessageLockLostCondition))
                {
                    return LockLostResponse();
                }
            }
            response = AmqpMessage.Create(new AmqpValue { Value = new AmqpMap() });
            response.ApplicationProperties.Map["statusCode"] = (int)HttpStatusCode.OK;
            return response;
        }
        response = AmqpMessage.Create();
        response.ApplicationProperties.Map["statusCode"] = (int)HttpStatusCode.NotImplemented;
        response.ApplicationProperties.Map["statusDescription"] = $"The test broker does not implement '{operation}'.";
        response.ApplicationProperties.Map["errorCondition"] = AmqpErrorCode.NotImplemented;
        return response;
    }

    private static AmqpMessage LockLostResponse()
    {
        AmqpMessage response = AmqpMessage.Create();
        response.ApplicationProperties.Map["statusCode"] = (int)HttpStatusCode.Gone;
        response.ApplicationProperties.Map["statusDescription"] = "The lock supplied is invalid: it expired, or the message was already settled.";
        response.ApplicationProperties.Map["errorCondition"] = MessageLockLostCondition;
        return response;
    }

    private static Fields? ToFields(AmqpMap? map)
    {
        if (map is null) return null;
        var fields = new Fields();
        foreach (var pair in map) fields[pair.Key.Key.ToString()!] = pair.Value;
        return fields;
    }

    private sealed class CompletedResult(object? state) : IAsyncResult
    {
        public object? AsyncState { get; } = state;
        public WaitHandle AsyncWaitHandle => throw new NotSupportedException();
        public bool CompletedSynchronously => true;
        public bool IsCompleted => true;
    }
}
