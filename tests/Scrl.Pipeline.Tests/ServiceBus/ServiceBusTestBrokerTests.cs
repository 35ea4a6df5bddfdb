using Azure.Messaging.ServiceBus;

namespace Scrl.Pipeline.Tests.ServiceBus;

/// <summary>The broker checks the SDK's SAS tokens for real: a token signed with another key is refused.</summary>
public sealed class ServiceBusTestBrokerTests : IDisposable
{
    private static readonly ServiceBusClientOptions FailFast = new()
    {
        RetryOptions = new ServiceBusRetryOptions { TryTimeout = TimeSpan.FromSeconds(10), MaxRetries = 0 },
    };

    private readonly ServiceBusTestBroker _broker = ServiceBusTestBroker.Start();

    public void Dispose()
    {
        _broker.Dispose();
        Assert.Empty(_broker.Faults);
    }

    [Fact]
    public async Task PutToken_WithAnotherKey_IsRefused()
    {
        _broker.CreateQueue("jobs", TimeSpan.FromSeconds(30));
        string wrongKey = _broker.ConnectionString.Replace(_broker.Key, Convert.ToBase64String(new byte[32]));
        await using var client = new ServiceBusClient(wrongKey, FailFast);
        await using ServiceBusSender sender = client.CreateSender("jobs");

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => sender.SendMessageAsync(new ServiceBusMessage("x")));
        Assert.Contains("signature does not match", refused.Message);
        Assert.Equal(0, _broker.CountMessages("jobs"));
        Assert.Empty(_broker.AuthorizedAudiences);
    }
}
