using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;

namespace Scrl.Pipeline.Tests.Outcomes;

public sealed class JobReportEventsTests
{
    [Fact]
    public void From_OutcomeReport_IsTheJobsCompletionEventOnTheRun()
    {
        var outcome = new JobOutcome("run-1-pretrain", JobStatus.Succeeded, null, new Dictionary<string, double>(), []);
        var report = new JobReport("run-1", "run-1-pretrain", StageKind.Pretrain, 2, outcome);

        Assert.Equal(new JobEvent("run-1", "JobCompleted:run-1-pretrain", outcome), JobReportEvents.From(report));
    }

    [Fact]
    public void Snapshot_TrainingHeartbeat_CarriesStepsLossAndAttempt()
    {
        var heartbeat = new JobProgress("run-1-pretrain", 500, 10_000, new Dictionary<string, double> { ["loss"] = 1.25, ["learningRate"] = 0.3 });
        DateTimeOffset at = DateTimeOffset.UnixEpoch.AddDays(1);

        Assert.Equal(new JobProgressSnapshot("run-1-pretrain", 3, 500, 10_000, 1.25, at), JobProgressSnapshot.From(heartbeat, 3, at));
        Assert.Null(JobProgressSnapshot.From(heartbeat with { Metrics = new Dictionary<string, double>() }, 3, at).Loss);
    }
}
