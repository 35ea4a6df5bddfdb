namespace Scrl.Pipeline.Jobs;

/// <summary>
/// What an orchestrator posts for a worker: small and self-contained (ids, names, JSON of the stage's options),
/// never tensors or file contents. <see cref="JobId"/> is stable across retries of one stage, so the worker's
/// blob-lease claim and idempotent result writes make a redelivered or retried job safe to run again.
/// </summary>
/// <param name="JobId">Unique per stage of a run, e.g. <c>{runId}-pretrain</c>; also the claim name.</param>
/// <param name="RunId">The run (and orchestration instance) this job belongs to.</param>
/// <param name="Stage">Which stage to execute.</param>
/// <param name="Attempt">1-based; the worker resumes from the stage's last checkpoint on later attempts.</param>
/// <param name="OptionsJson">The stage's options as JSON (its schema depends on <see cref="Stage"/>).</param>
/// <param name="ArtifactPrefix">Where the stage reads and writes: <c>runs/{runId}/{stage}/</c>.</param>
/// <param name="Deadline">After this the orchestrator stops waiting for a callback and reads the result manifest.</param>
/// <param name="CallbackUri">Where the worker reports its outcome (raises the orchestration's event); null when
/// outcomes travel by queue.</param>
public sealed record JobMessage(
    string JobId,
    string RunId,
    StageKind Stage,
    int Attempt,
    string OptionsJson,
    string ArtifactPrefix,
    DateTimeOffset Deadline,
    Uri? CallbackUri = null);
