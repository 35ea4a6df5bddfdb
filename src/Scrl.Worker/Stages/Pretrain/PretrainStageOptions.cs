using System.Text.Json;
using System.Text.Json.Serialization;
using Scrl.Core.Configuration;
using Scrl.Core.Data.Shards;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Worker.Stages.Pretrain;

/// <summary>
/// The <c>OptionsJson</c> of a pretrain job: a preset plus <c>dotted.key=value</c> overrides (as
/// <c>scrl pretrain</c> takes them) and where the images are: a dataset folder in the artifact store
/// (downloaded once per worker) or a path the worker can already read. A run orchestration posts
/// <see cref="StageJobOptions.Pretrain"/> instead; <see cref="Parse"/> reads both.
/// </summary>
/// <param name="Overrides"><c>dotted.key=value</c> config overrides.</param>
/// <param name="DatasetPrefix">Store prefix of the dataset, e.g. <c>datasets/{hash}/coco/</c>.</param>
/// <param name="DataSource">A local (or mounted) dataset path, instead of <paramref name="DatasetPrefix"/>.</param>
/// <param name="Device"><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>; null runs on the worker's device.</param>
// Positional with defaults: the JSON source generator keeps a parameter's default when the member is absent
// (for init-only properties it would write null).
public sealed record PretrainStageOptions(
    string Preset,
    IReadOnlyList<string>? Overrides = null,
    string? DatasetPrefix = null,
    string? DataSource = null,
    string? Device = null)
{
    /// <summary>Parses and checks the options, listing every problem; the config itself is checked by loading it.</summary>
    public static (PretrainStageOptions? Options, IReadOnlyList<string> Problems) Parse(string json)
    {
        PretrainStageOptions? options;
        try
        {
            options = IsOrchestratorForm(json)
                ? FromRun(JsonSerializer.Deserialize<StageJobOptions.Pretrain>(json, SpecJson.Options))
                : JsonSerializer.Deserialize(json, PretrainStageOptionsJson.Default.PretrainStageOptions);
        }
        catch (JsonException ex)
        {
            return (null, [$"options are not valid pretrain options JSON: {ex.Message}"]);
        }
        if (options is null) return (null, ["options are null"]);
        var problems = new List<string>();
        if (!ConfigLoader.PresetNames.Contains(options.Preset))
            problems.Add($"preset '{options.Preset}' is not one of {string.Join(", ", ConfigLoader.PresetNames)}");
        if ((options.DatasetPrefix is null) == (options.DataSource is null))
            problems.Add("set exactly one of datasetPrefix and dataSource");
        if (options.DatasetPrefix is { } prefix && (!prefix.EndsWith('/') || !ArtifactName.IsValid(prefix[..^1])))
            problems.Add($"datasetPrefix '{prefix}' must be a valid artifact name ending in '/'");
        if ((options.Overrides ?? []).Any(o => o.StartsWith("data.source=", StringComparison.Ordinal)))
            problems.Add("data.source is set by the worker from datasetPrefix or dataSource; do not override it");
        if (problems.Count == 0)
        {
            try
            {
                options.LoadConfig("/validation-only");
            }
            catch (ConfigException ex)
            {
                problems.AddRange(ex.Errors.Select(e => e.ToString()));
            }
        }
        return (problems.Count == 0 ? options : null, problems);
    }

    /// <summary>
    /// A run's pretrain stage as worker options: the spec's method and backbone, then its overrides, reading the
    /// shard set the shard stage wrote (its artifacts are the set's files, <c>index.json</c> among them).
    /// </summary>
    public static PretrainStageOptions? FromRun(StageJobOptions.Pretrain? run)
    {
        if (run is null) return null;
        string? index = run.Shards.FirstOrDefault(a => a.EndsWith("/" + ShardFormat.IndexName, StringComparison.Ordinal));
        return new PretrainStageOptions(
            run.Preset,
            [$"method={run.Method}", $"network.backbone={run.Backbone}", $"data.format={DataFormat.Shards}",
             .. run.Overrides.Select(o => $"{o.Key}={o.Value}")],
            // Without an index the options fail validation below ("set exactly one of ..."), naming the problem.
            DatasetPrefix: index?[..^ShardFormat.IndexName.Length]);
    }

    // The orchestrator's form lists the shard stage's artifacts; the direct form never has that key.
    private static bool IsOrchestratorForm(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("shards", out _);
    }

    /// <summary>The pretraining config with <c>data.source</c> pointed at <paramref name="dataRoot"/>.</summary>
    public PretrainConfig LoadConfig(string dataRoot) => ConfigLoader.Load(Preset, [.. Overrides ?? [], $"data.source={dataRoot}"]);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
                             RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PretrainStageOptions))]
internal sealed partial class PretrainStageOptionsJson : JsonSerializerContext;
