using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Api;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Functions.Api;

/// <summary>
/// The sweeps API: start a sweep from a <see cref="SweepSpec"/> (a base run spec and a parameter grid) and read its
/// status and leaderboard. The sweep id is the orchestration's instance id. Keys: function level.
/// </summary>
public sealed class SweepsApi(TimeProvider clock, ILogger<SweepsApi> log)
{
    /// <summary><c>POST /api/sweeps</c>: 202 with Durable's status URLs, 400 with every spec problem, or 409 when a
    /// sweep with the spec's id exists.</summary>
    [Function("StartSweep")]
    public async Task<HttpResponseData> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "sweeps")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        string json = await request.ReadAsStringAsync() ?? "";
        (SweepSpec? spec, IReadOnlyList<ValidationError> errors) = SpecJson.ReadSweepSpec(json);
        if (spec is null) return await ApiResponses.BadRequestAsync(request, errors, cancellationToken);

        string sweepId = spec.SweepId ?? RunIds.NewSweep(clock.GetUtcNow(), Guid.NewGuid());
        if (await client.GetInstanceAsync(sweepId, cancellationToken) is not null)
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.Conflict, $"sweep '{sweepId}' already exists", cancellationToken);

        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ScrlSweepOrchestrator), spec with { SweepId = sweepId }, new StartOrchestrationOptions(sweepId), cancellationToken);
        log.LogInformation("Sweep {SweepId} scheduled with {RunCount} runs", sweepId, spec.RunCount);
        return await client.CreateCheckStatusResponseAsync(request, sweepId, cancellationToken);
    }

    /// <summary><c>GET /api/sweeps/{id}</c>: 200 with <see cref="Pipeline.Api.SweepStatus"/>, or 404.</summary>
    [Function("GetSweep")]
    public async Task<HttpResponseData> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "sweeps/{id}")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (RunIds.PathProblem(id) is { } invalid) return await ApiResponses.BadRequestAsync(request, [invalid], cancellationToken);
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        return instance is null
            ? await ApiResponses.ErrorAsync(request, HttpStatusCode.NotFound, $"no sweep '{id}'", cancellationToken)
            : await ApiResponses.JsonAsync(request, HttpStatusCode.OK, StatusMapping.ToSweepStatus(instance), cancellationToken);
    }
}
