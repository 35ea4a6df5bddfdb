using Scrl.Functions.Triggers;
using JobsProgress = Scrl.Pipeline.Jobs.JobProgress;

namespace Scrl.Functions.Tests;

public sealed class JobReportTriggerTests
{
    [Fact]
    public void ToEvent_TrainingHeartbeat_CarriesStepsAndLoss()
    {
        var heartbeat = new JobsProgress("run-1-pretrain", 500, 10_000, new Dictionary<string, double> { ["loss"] = 1.25, ["learningRate"] = 0.3 });

        Pipeline.Orchestration.JobProgress progress = JobReportTrigger.ToEvent(heartbeat);

        Assert.Equal(new Pipeline.Orchestration.JobProgress("run-1-pretrain", 500, 10_000, 1.25, null), progress);
    }

    [Fact]
    public void ToEvent_HeartbeatWithoutLoss_LeavesLossUnset()
    {
        var heartbeat = new JobsProgress("run-1-shard", 3, 8, new Dictionary<string, double>());

        Assert.Null(JobReportTrigger.ToEvent(heartbeat).Loss);
    }
}
