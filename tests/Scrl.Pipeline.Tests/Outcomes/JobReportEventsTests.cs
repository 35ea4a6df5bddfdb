using Scrl.Pipeline.Outcomes;
using JobsProgress = Scrl.Pipeline.Jobs.JobProgress;

namespace Scrl.Pipeline.Tests.Outcomes;

public sealed class JobReportEventsTests
{
    [Fact]
    public void ToEvent_TrainingHeartbeat_CarriesStepsAndLoss()
    {
        var heartbeat = new JobsProgress("run-1-pretrain", 500, 10_000, new Dictionary<string, double> { ["loss"] = 1.25, ["learningRate"] = 0.3 });

        Scrl.Pipeline.Orchestration.JobProgress progress = JobReportEvents.ToEvent(heartbeat);

        Assert.Equal(new Scrl.Pipeline.Orchestration.JobProgress("run-1-pretrain", 500, 10_000, 1.25, null), progress);
    }

    [Fact]
    public void ToEvent_HeartbeatWithoutLoss_LeavesLossUnset()
    {
        var heartbeat = new JobsProgress("run-1-shard", 3, 8, new Dictionary<string, double>());

        Assert.Null(JobReportEvents.ToEvent(heartbeat).Loss);
    }

    [Fact]
    public void From_OutcomeReport_IsTheJobsCompletionEventOnTheRun()
    {
        var outcome = new Scrl.Pipeline.Jobs.JobOutcome("run-1-pretrain", Scrl.Pipeline.Jobs.JobStatus.Succeeded, null, new Dictionary<string, double>(), []);
        var report = new Scrl.Pipeline.Jobs.JobReport(Scrl.Pipeline.Jobs.JobReportKind.Outcome, "run-1", "run-1-pretrain",
                                                      Scrl.Pipeline.Jobs.StageKind.Pretrain, 2, null, outcome);

        Assert.Equal(new JobEvent("run-1", "JobCompleted:run-1-pretrain", outcome), JobReportEvents.From(report));
    }

    [Fact]
    public void From_ReportWithoutItsBody_Throws()
    {
        var report = new Scrl.Pipeline.Jobs.JobReport(Scrl.Pipeline.Jobs.JobReportKind.Progress, "run-1", "run-1-pretrain",
                                                      Scrl.Pipeline.Jobs.StageKind.Pretrain, 1, null, null);

        Assert.Throws<System.Text.Json.JsonException>(() => JobReportEvents.From(report));
    }
}
