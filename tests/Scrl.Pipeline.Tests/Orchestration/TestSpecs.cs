using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Orchestration;

/// <summary>Run specs whose deadlines and backoffs fit a unit test's real-time timers.</summary>
internal static class TestSpecs
{
    public static StagePolicy Quick(TimeSpan? timeout = null, int maxAttempts = 3, TimeSpan? resultCheckInterval = null) => new()
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
        ResultCheckInterval = resultCheckInterval ?? TimeSpan.FromMinutes(5),
        MaxAttempts = maxAttempts,
        FirstRetryDelay = TimeSpan.FromMilliseconds(200),
        BackoffCoefficient = 2,
    };

    public static RunSpec Run(string runId, bool roiEval = false, params FinetuneTaskSpec[] finetune) => new()
    {
        RunId = runId,
        Dataset = new DatasetSpec { Source = "file:///data/coco", Format = DatasetFormat.Coco },
        Preset = "demo",
        Overrides = new Dictionary<string, string> { ["run.epochs"] = "1" },
        RoiEval = new RoiEvalSpec { Enabled = roiEval, Baselines = roiEval ? ["random"] : [] },
        Finetune = finetune,
        Stages = new StagePolicies { Shard = Quick(), Pretrain = Quick(), RoiEval = Quick(), Finetune = Quick() },
    };

    public static string NewId(string kind) => $"{kind}-{Guid.NewGuid().ToString("N")[..12]}";
}
