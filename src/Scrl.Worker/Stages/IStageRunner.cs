using Scrl.Pipeline.Jobs;

namespace Scrl.Worker.Stages;

/// <summary>Executes one kind of stage for the worker.</summary>
public interface IStageRunner
{
    StageKind Stage { get; }

    /// <summary>Every problem with the job's options; a non-empty list makes the job poison (it can never succeed).</summary>
    IReadOnlyList<string> Validate(JobMessage job);

    /// <summary>
    /// Runs the stage to an outcome: Succeeded, Failed (the stage itself failed, e.g. it diverged) or Cancelled
    /// (the job's cancel marker). When <paramref name="stoppingToken"/> fires, the stage saves what it can to the
    /// store and throws <see cref="OperationCanceledException"/>, so the job runs again and resumes.
    /// </summary>
    Task<JobOutcome> RunAsync(StageContext context, CancellationToken stoppingToken);
}
