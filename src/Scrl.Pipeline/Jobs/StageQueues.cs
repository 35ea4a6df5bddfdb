namespace Scrl.Pipeline.Jobs;

/// <summary>
/// Which queue each worker stage's jobs go to, and which hardware pool serves that queue. In Azure the CPU worker app
/// receives from the CPU stages' queues and the GPU worker app from the GPU stages' (infra/app/worker.bicep), so a
/// queue that mixed both would let a GPU replica idle on a shard job or a CPU replica crawl through fine-tuning.
/// </summary>
public static class StageQueues
{
    /// <summary>The stages whose jobs go to workers, each of which needs a queue.</summary>
    public static IReadOnlyList<StageKind> WorkerStages { get; } = [StageKind.Shard, StageKind.Pretrain, StageKind.RoiEval, StageKind.Finetune];

    /// <summary>The queue names infra/main.bicep creates.</summary>
    public static IReadOnlyDictionary<StageKind, string> Default { get; } = new Dictionary<StageKind, string>
    {
        [StageKind.Shard] = "shard",
        [StageKind.Pretrain] = "pretrain",
        [StageKind.RoiEval] = "roi-eval",
        [StageKind.Finetune] = "finetune",
    };

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> runs in the orchestrator, not on a worker.</exception>
    public static JobHardware HardwareOf(StageKind stage) => stage switch
    {
        StageKind.Shard or StageKind.RoiEval => JobHardware.Cpu,
        StageKind.Pretrain or StageKind.Finetune => JobHardware.Gpu,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only worker stages run on hardware of their own."),
    };

    /// <summary>Every problem with <paramref name="queues"/>: a worker stage without a queue, or a queue that stages of
    /// both hardware pools share (<see cref="MixedQueues"/>). Each names its setting under <paramref name="settingPrefix"/>.</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyDictionary<StageKind, string> queues, string settingPrefix)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var problems = new List<string>();
        foreach (StageKind stage in WorkerStages)
        {
            if (!queues.TryGetValue(stage, out string? queue) || string.IsNullOrWhiteSpace(queue))
                problems.Add($"{settingPrefix}:{stage} must name the queue of {stage} jobs");
        }
        problems.AddRange(MixedQueues(queues).Select(q => $"{settingPrefix}: {q}"));
        return problems;
    }

    /// <summary>Each queue that carries stages of both pools, described.</summary>
    public static IReadOnlyList<string> MixedQueues(IReadOnlyDictionary<StageKind, string> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        return [.. WorkerStages.Where(queues.ContainsKey)
            .GroupBy(stage => queues[stage], StringComparer.Ordinal)
            .Where(shared => shared.Select(HardwareOf).Distinct().Count() > 1)
            .Select(shared => $"queue '{shared.Key}' carries CPU and GPU stages ({string.Join(", ", shared)}); give each pool its own queues")];
    }
}
