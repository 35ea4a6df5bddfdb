using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scrl.Pipeline.Api;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;

namespace Scrl.Cli.Emulation;

/// <summary>
/// The Functions app's HTTP routes on Kestrel, over the emulator's task hub: same paths, same bodies (the Pipeline's
/// spec readers and status records), same codes: 202 with status URLs, 400 listing every problem, 404, 409.
/// Ids are checked before any lookup, so a path-like id never reaches storage.
/// </summary>
internal static class EmulatorApi
{
    private static readonly OrchestrationStatus[] Active =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended];

    public static void Map(IEndpointRouteBuilder app, TaskHubClient client, IArtifactStore store, TimeProvider clock)
    {
        RouteGroupBuilder api = app.MapGroup("/api");
        api.MapPost("/runs", (HttpRequest request, CancellationToken ct) => StartAsync(request, client, clock, "runs", ct));
        api.MapGet("/runs/{id}", (string id, CancellationToken ct) => GetAsync(id, client, store, "runs", ct));
        api.MapPost("/runs/{id}/cancel", (string id, HttpRequest request, CancellationToken ct) => CancelAsync(id, request, client, ct));
        api.MapPost("/sweeps", (HttpRequest request, CancellationToken ct) => StartAsync(request, client, clock, "sweeps", ct));
        api.MapGet("/sweeps/{id}", (string id, CancellationToken ct) => GetAsync(id, client, store, "sweeps", ct));
    }

    private static async Task<IResult> StartAsync(HttpRequest request, TaskHubClient client, TimeProvider clock, string kind, CancellationToken ct)
    {
        string json = await new StreamReader(request.Body).ReadToEndAsync(ct);
        (string Id, string Orchestrator, object Input)? start;
        IReadOnlyList<ValidationError> errors;
        if (kind == "runs")
        {
            (RunSpec? spec, errors) = SpecJson.ReadRunSpec(json);
            string? id = spec is null ? null : spec.RunId ?? RunIds.New(clock.GetUtcNow(), Guid.NewGuid());
            start = spec is null ? null : (id!, nameof(ScrlRunOrchestrator), spec with { RunId = id });
        }
        else
        {
            (SweepSpec? spec, errors) = SpecJson.ReadSweepSpec(json);
            string? id = spec is null ? null : spec.SweepId ?? RunIds.NewSweep(clock.GetUtcNow(), Guid.NewGuid());
            start = spec is null ? null : (id!, nameof(ScrlSweepOrchestrator), spec with { SweepId = id });
        }
        if (start is not { } s) return Errors(StatusCodes.Status400BadRequest, errors);
        if (await client.GetOrchestrationStateAsync(s.Id).WaitAsync(ct) is not null)
            return Error(StatusCodes.Status409Conflict, $"{kind[..^1]} '{s.Id}' already exists");

        await client.CreateOrchestrationInstanceAsync(s.Orchestrator, string.Empty, s.Id, s.Input).WaitAsync(ct);
        return Accepted(request, kind, s.Id);
    }

    private static async Task<IResult> GetAsync(string id, TaskHubClient client, IArtifactStore store, string kind, CancellationToken ct)
    {
        if (RunIds.PathProblem(id) is { } invalid) return Errors(StatusCodes.Status400BadRequest, [invalid]);
        OrchestrationState? state = await client.GetOrchestrationStateAsync(id).WaitAsync(ct);
        if (state is null) return Error(StatusCodes.Status404NotFound, $"no {kind[..^1]} '{id}'");
        bool completed = state.OrchestrationStatus == OrchestrationStatus.Completed;
        object body = kind == "runs"
            ? await WorkerProgress.AddAsync(new RunStatus(id, RuntimeStatus(state), Utc(state.CreatedTime), Utc(state.LastUpdatedTime),
                                                          Read<RunProgress>(state.Status), completed ? Read<RunReport>(state.Output) : null,
                                                          Failure(state)), store, ct)
            : new SweepStatus(id, RuntimeStatus(state), Utc(state.CreatedTime), Utc(state.LastUpdatedTime),
                              Read<SweepProgress>(state.Status), completed ? Read<Leaderboard>(state.Output) : null, Failure(state));
        return Results.Json(body, SpecJson.Options);
    }

    private static async Task<IResult> CancelAsync(string id, HttpRequest request, TaskHubClient client, CancellationToken ct)
    {
        if (RunIds.PathProblem(id) is { } invalid) return Errors(StatusCodes.Status400BadRequest, [invalid]);
        OrchestrationState? state = await client.GetOrchestrationStateAsync(id).WaitAsync(ct);
        if (state is null) return Error(StatusCodes.Status404NotFound, $"no run '{id}'");
        if (!Active.Contains(state.OrchestrationStatus))
            return Error(StatusCodes.Status409Conflict, $"run '{id}' already ended ({RuntimeStatus(state)})");

        (CancelRequest? cancel, ValidationError? problem) = CancelRequest.Read(await new StreamReader(request.Body).ReadToEndAsync(ct));
        if (cancel is null) return Errors(StatusCodes.Status400BadRequest, [problem!]);
        await client.RaiseEventAsync(new OrchestrationInstance { InstanceId = id }, EventNames.CancelRequested, cancel).WaitAsync(ct);
        return Accepted(request, "runs", id);
    }

    /// <summary>202 with where to look next, as Durable's check-status response gives it.</summary>
    private static IResult Accepted(HttpRequest request, string kind, string id)
    {
        string status = $"{request.Scheme}://{request.Host}/api/{kind}/{id}";
        var body = new Dictionary<string, string> { ["id"] = id, ["statusQueryGetUri"] = status };
        if (kind == "runs") body["cancelPostUri"] = status + "/cancel";
        return new WithLocation(Results.Json(body, SpecJson.Options, statusCode: StatusCodes.Status202Accepted), status);
    }

    private static IResult Error(int status, string message) => Errors(status, [new ValidationError("$", message)]);

    private static IResult Errors(int status, IReadOnlyList<ValidationError> errors) =>
        Results.Json(new { errors }, SpecJson.Options, statusCode: status);

    // DurableTask.Core's names are Durable Functions' runtime status names.
    private static string RuntimeStatus(OrchestrationState state) => state.OrchestrationStatus.ToString();

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    private static T? Read<T>(string? json) where T : class =>
        string.IsNullOrEmpty(json) ? null : DurableTaskHost.Converter.Deserialize<T>(json);

    private static string? Failure(OrchestrationState state) =>
        state.OrchestrationStatus == OrchestrationStatus.Failed ? state.FailureDetails?.ErrorMessage ?? state.Output : null;

    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.Location = location;
            return inner.ExecuteAsync(context);
        }
    }
}
