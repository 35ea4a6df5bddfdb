using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Api;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Functions.Api;

/// <summary>
/// The runs API: start a run from a <see cref="RunSpec"/>, read its status, cancel it. The run id is the
/// orchestration's instance id. Keys: function level (the app's function or host keys).
/// </summary>
public sealed class RunsApi(TimeProvider clock, IArtifactStore store, ILogger<RunsApi> log)
{
    /// <summary>Runtime states in which a run can still be cancelled.</summary>
    private static readonly OrchestrationRuntimeStatus[] Active =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary><c>POST /api/runs</c>: 202 with Durable's status URLs, 400 with every spec problem, or 409 when a
    /// run with the spec's id exists.</summary>
    [Function("StartRun")]
    public async Task<HttpResponseData> StartAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        string json = await request.ReadAsStringAsync() ?? "";
        (RunSpec? spec, IReadOnlyList<ValidationError> errors) = SpecJson.ReadRunSpec(json);
        if (spec is null) return await ApiResponses.BadRequestAsync(request, errors, cancellationToken);

        string runId = spec.RunId ?? RunIds.New(clock.GetUtcNow(), Guid.NewGuid());
        if (await client.GetInstanceAsync(runId, cancellationToken) is not null)
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.Conflict, $"run '{runId}' already exists", cancellationToken);

        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ScrlRunOrchestrator), spec with { RunId = runId }, new StartOrchestrationOptions(runId), cancellationToken);
        log.LogInformation("Run {RunId} scheduled", runId);
        return await client.CreateCheckStatusResponseAsync(request, runId, cancellationToken);
    }

    /// <summary><c>GET /api/runs/{id}</c>: 200 with <see cref="Pipeline.Api.RunStatus"/> and each running stage's progress
    /// from Blob storage (<see cref="WorkerProgress"/>), or 404.</summary>
    [Function("GetRun")]
    public async Task<HttpResponseData> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (RunIds.PathProblem(id) is { } invalid) return await ApiResponses.BadRequestAsync(request, [invalid], cancellationToken);
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        return instance is null
            ? await ApiResponses.ErrorAsync(request, HttpStatusCode.NotFound, $"no run '{id}'", cancellationToken)
            : await ApiResponses.JsonAsync(request, HttpStatusCode.OK,
                                           await WorkerProgress.AddAsync(StatusMapping.ToRunStatus(instance), store, cancellationToken), cancellationToken);
    }

    /// <summary><c>POST /api/runs/{id}/cancel</c> with an optional <c>{"reason": "..."}</c>: 202 once the request is
    /// delivered (running jobs stop at their next checkpoint), 404, or 409 when the run already ended.</summary>
    [Function("CancelRun")]
    public async Task<HttpResponseData> CancelAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{id}/cancel")] HttpRequestData request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        if (RunIds.PathProblem(id) is { } invalid) return await ApiResponses.BadRequestAsync(request, [invalid], cancellationToken);
        OrchestrationMetadata? instance = await client.GetInstanceAsync(id, cancellationToken);
        if (instance is null)
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.NotFound, $"no run '{id}'", cancellationToken);
        if (!Active.Contains(instance.RuntimeStatus))
            return await ApiResponses.ErrorAsync(request, HttpStatusCode.Conflict, $"run '{id}' already ended ({instance.RuntimeStatus})", cancellationToken);

        (CancelRequest? cancel, ValidationError? problem) = CancelRequest.Read(await request.ReadAsStringAsync());
        if (cancel is null) return await ApiResponses.BadRequestAsync(request, [problem!], cancellationToken);
        await client.RaiseEventAsync(id, EventNames.CancelRequested, cancel, cancellationToken);
        log.LogInformation("Run {RunId}: cancel requested ({Reason})", id, cancel.Reason);
        return await client.CreateCheckStatusResponseAsync(request, id, HttpStatusCode.Accepted, cancellationToken);
    }
}
