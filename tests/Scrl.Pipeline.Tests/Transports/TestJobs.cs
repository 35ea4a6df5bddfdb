using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Tests.Transports;

internal static class TestJobs
{
    public static JobMessage Pretrain(string jobId) => new(jobId, "run-1", StageKind.Pretrain, 1, """{"preset":"demo"}""",
        "runs/run-1/pretrain/", DateTimeOffset.UnixEpoch.AddYears(60));
}
