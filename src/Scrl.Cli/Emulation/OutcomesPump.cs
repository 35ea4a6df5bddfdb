using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;

namespace Scrl.Cli.Emulation;

/// <summary>
/// The local stand-in for the Functions app's outcomes-queue trigger: each <see cref="JobReport"/> becomes the run's
/// per-job event (<see cref="JobReportEvents"/>, the same mapping), then the message is deleted. A message that keeps
/// failing goes to <c>outcomes-poison</c> after <see cref="MaxDequeueCount"/> tries, like the trigger's poison queue;
/// the orchestrator still reads the job's result manifest at its deadline.
/// </summary>
internal sealed class OutcomesPump(QueueClient outcomes, QueueClient poison, TaskHubClient client, ILogger<OutcomesPump> log)
{
    private const int MaxDequeueCount = 5;
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleDelay = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                QueueMessage[] messages = (await outcomes.ReceiveMessagesAsync(32, Visibility, stoppingToken).ConfigureAwait(false)).Value;
                foreach (QueueMessage message in messages) await HandleAsync(message, stoppingToken).ConfigureAwait(false);
                if (messages.Length == 0) await Task.Delay(IdleDelay, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; unhandled messages come back after their visibility timeout
        }
    }

    private async Task HandleAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            JobEvent raised = JobReportEvents.From(JobJson.DeserializeReport(Convert.FromBase64String(message.MessageText)));
            await client.RaiseEventAsync(new OrchestrationInstance { InstanceId = raised.InstanceId }, raised.Name, raised.Payload)
                        .WaitAsync(stoppingToken).ConfigureAwait(false);
            await outcomes.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Host boundary: one bad message must not stop the pump. It comes back after its visibility timeout.
            log.LogWarning(ex, "Outcome message {MessageId} failed (dequeue {DequeueCount})", message.MessageId, message.DequeueCount);
            if (message.DequeueCount < MaxDequeueCount) return;
            await poison.SendMessageAsync(message.MessageText, stoppingToken).ConfigureAwait(false);
            await outcomes.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken).ConfigureAwait(false);
        }
    }
}
