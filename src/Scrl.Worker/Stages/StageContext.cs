using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;

namespace Scrl.Worker.Stages;

/// <summary>What a stage runner gets for one job.</summary>
/// <param name="Claim">The job's claim; once it is lost another worker may own the job, so stop writing.</param>
/// <param name="Progress">Latest progress; the worker's heartbeat forwards it to the outcome sink.</param>
/// <param name="WorkDirectory">The worker's scratch root; runners use a subfolder per job.</param>
/// <param name="ShutdownGrace">How long final uploads may take after the stopping token fired.</param>
public sealed record StageContext(
    JobMessage Job,
    IArtifactStore Store,
    IArtifactClaim Claim,
    IProgress<JobProgress> Progress,
    string WorkDirectory,
    TimeSpan ShutdownGrace);
