namespace Scrl.Pipeline.Specs;

/// <summary>Deadlines and retries per stage. Defaults fit one GPU worker on COCO train2017 with a ResNet-50.</summary>
public sealed record StagePolicies
{
    /// <summary>Default: 2 hours, 3 attempts.</summary>
    public StagePolicy Shard { get; init; } = new() { Timeout = TimeSpan.FromHours(2) };

    /// <summary>Default: 3 days per attempt (200 epochs), 3 attempts.</summary>
    public StagePolicy Pretrain { get; init; } = new() { Timeout = TimeSpan.FromDays(3) };

    /// <summary>Default: 6 hours, 3 attempts.</summary>
    public StagePolicy RoiEval { get; init; } = new() { Timeout = TimeSpan.FromHours(6) };

    /// <summary>Default: 1 day per task, 3 attempts.</summary>
    public StagePolicy Finetune { get; init; } = new() { Timeout = TimeSpan.FromDays(1) };

    public IReadOnlyList<ValidationError> Validate(string path) =>
    [
        .. Check(Shard, $"{path}.shard"),
        .. Check(Pretrain, $"{path}.pretrain"),
        .. Check(RoiEval, $"{path}.roiEval"),
        .. Check(Finetune, $"{path}.finetune"),
    ];

    private static IReadOnlyList<ValidationError> Check(StagePolicy? policy, string path) =>
        policy is null ? [new(path, "must not be null")] : policy.Validate(path);
}
