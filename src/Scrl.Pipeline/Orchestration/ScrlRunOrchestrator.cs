using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>
/// One run: shard → pretrain → RoI eval → fine-tune (all tasks in parallel) → report. Instance id = run id.
/// Each worker stage is a <see cref="StageRunner"/>; <see cref="EventNames.CancelRequested"/> stops the run at any
/// point. Returns the report of a succeeded or cancelled run; a failed run writes its report, then fails the
/// orchestration with the failed stage's reason.
/// </summary>
public sealed class ScrlRunOrchestrator : TaskOrchestrator<RunSpec, RunReport>
{
    public override async Task<RunReport> RunAsync(TaskOrchestrationContext context, RunSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ILogger log = context.CreateReplaySafeLogger(nameof(ScrlRunOrchestrator));
        string runId = context.InstanceId;
        if (spec.RunId is not null && spec.RunId != runId)
            throw new ArgumentException($"The spec's run id '{spec.RunId}' differs from the instance id '{runId}'.", nameof(spec));
        if (spec.Validate() is { Count: > 0 } problems)
            throw new ArgumentException($"Invalid run spec: {string.Join("; ", problems)}", nameof(spec));

        DateTime started = context.CurrentUtcDateTime;
        var board = new RunProgressBoard(context);
        Task<CancelRequest> cancelRequested = context.WaitForExternalEvent<CancelRequest>(EventNames.CancelRequested);
        var results = new List<StageResult>();
        log.LogInformation("Run {RunId} started", runId);

        async Task<bool> Run(params StageJob[] jobs)
        {
            board.SetPhase(string.Join(", ", jobs.Select(j => j.Stage)));
            StageResult[] done = await Task.WhenAll(jobs.Select(job => new StageRunner(context, job, cancelRequested, board, log).RunAsync()));
            results.AddRange(done);
            return done.All(r => r.Status == JobStatus.Succeeded);
        }

        bool ok = await Run(Stage(runId, "shard", StageKind.Shard, new StageJobOptions.Shard(spec.Dataset), spec.Stages.Shard));
        if (ok)
            ok = await Run(Stage(runId, "pretrain", StageKind.Pretrain,
                new StageJobOptions.Pretrain(spec.Method, spec.Backbone, spec.Preset, spec.Overrides, results[^1].Artifacts), spec.Stages.Pretrain));
        IReadOnlyList<string> pretrained = ok ? results[^1].Artifacts : [];
        if (ok && spec.RoiEval.Enabled)
            ok = await Run(Stage(runId, "roi-eval", StageKind.RoiEval,
                new StageJobOptions.RoiEval(spec.Backbone, pretrained, spec.RoiEval.Baselines, spec.RoiEval.Train ?? spec.Dataset.Source,
                                            spec.RoiEval.Val ?? spec.Dataset.Source, spec.RoiEval.Overrides), spec.Stages.RoiEval));
        if (ok && spec.Finetune.Count > 0)
            ok = await Run([.. spec.Finetune.Select(task => Stage(runId, task.StageName, StageKind.Finetune,
                new StageJobOptions.Finetune(task.ResolvedDetector, task.Task, task.ResolvedSchedule, spec.Backbone, pretrained, task.Train ?? spec.Dataset.Source,
                                             task.Val ?? task.Train ?? spec.Dataset.Source, task.Overrides), spec.Stages.Finetune))]);

        board.SetPhase("report");
        RunReport report = Summarize(runId, started, context.CurrentUtcDateTime, results);
        await context.CallActivityAsync<string>(nameof(WriteReportActivity), report, RetryPolicies.TransientIo);
        board.SetPhase(report.Status.ToString().ToLowerInvariant());
        log.LogInformation("Run {RunId} ended {Status}", runId, report.Status);
        if (report.Status == JobStatus.Failed) throw new InvalidOperationException($"Run {runId} failed: {report.Reason}");
        return report;
    }

    private static StageJob Stage<T>(string runId, string stage, StageKind kind, T options, StagePolicy policy) where T : class =>
        new(runId, stage, kind, StageJobOptions.ToJson(options), policy);

    private static RunReport Summarize(string runId, DateTime started, DateTime finished, List<StageResult> results)
    {
        // Cancellation wins over a failure that happened alongside it: the user asked the run to stop.
        StageResult? cancelled = results.FirstOrDefault(r => r.Status == JobStatus.Cancelled);
        StageResult? failed = results.FirstOrDefault(r => r.Status == JobStatus.Failed);
        (JobStatus status, string? reason) = (cancelled, failed) switch
        {
            ({ } c, _) => (JobStatus.Cancelled, c.Reason),
            (null, { } f) => (JobStatus.Failed, f.Reason),
            _ => (JobStatus.Succeeded, (string?)null),
        };
        return new RunReport(runId, status, reason, started, finished, [.. results]);
    }
}
