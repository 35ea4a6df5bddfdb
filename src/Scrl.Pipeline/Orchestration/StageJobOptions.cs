using System.Text.Json;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>
/// The <c>OptionsJson</c> of each stage's job, written with <see cref="SpecJson.Options"/>. Each stage gets only what
/// it needs: its slice of the spec and the artifact names the stage before it produced.
/// </summary>
public static class StageJobOptions
{
    /// <summary>Shard: list the dataset and write tar shards plus an index.</summary>
    public sealed record Shard(DatasetSpec Dataset);

    /// <summary>Pretrain: the preset plus overrides (the worker applies <c>method</c> and <c>backbone</c> as overrides too),
    /// reading the shards the shard stage listed.</summary>
    public sealed record Pretrain(
        PretrainMethod Method, Backbone Backbone, string Preset, IReadOnlyDictionary<string, string> Overrides,
        IReadOnlyList<string> Shards);

    /// <summary>RoI linear evaluation of the pretrained backbone (the newest checkpoint among <paramref name="Pretrained"/>,
    /// the pretrain stage's artifacts) and of each baseline, on labelled splits the worker reads.</summary>
    public sealed record RoiEval(
        Backbone Backbone, IReadOnlyList<string> Pretrained, IReadOnlyList<string> Baselines,
        string Train, string Val, IReadOnlyDictionary<string, string> Overrides);

    /// <summary>Fine-tune the pretrained backbone on one detection benchmark, then score it on <paramref name="Val"/>.</summary>
    public sealed record Finetune(
        FinetuneDetector Detector, FinetuneTask Task, FinetuneSchedule Schedule, Backbone Backbone, IReadOnlyList<string> Pretrained,
        string Train, string Val, IReadOnlyDictionary<string, string> Overrides);

    public static string ToJson<T>(T options) where T : class => JsonSerializer.Serialize(options, SpecJson.Options);
}
