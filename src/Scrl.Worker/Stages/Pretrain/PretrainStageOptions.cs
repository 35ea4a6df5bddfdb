using System.Text.Json;
using System.Text.Json.Serialization;
using Scrl.Core.Configuration;
using Scrl.Pipeline.Artifacts;

namespace Scrl.Worker.Stages.Pretrain;

/// <summary>
/// The <c>OptionsJson</c> of a pretrain job: a preset plus <c>dotted.key=value</c> overrides (as
/// <c>scrl pretrain</c> takes them) and where the images are: a dataset folder in the artifact store
/// (downloaded once per worker) or a path the worker can already read.
/// </summary>
public sealed record PretrainStageOptions
{
    public string Preset { get; init; } = "";

    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Store prefix of the dataset, e.g. <c>datasets/{hash}/coco/</c>.</summary>
    public string? DatasetPrefix { get; init; }

    /// <summary>A local (or mounted) dataset path, instead of <see cref="DatasetPrefix"/>.</summary>
    public string? DataSource { get; init; }

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Parses and checks the options, listing every problem; the config itself is checked by loading it.</summary>
    public static (PretrainStageOptions? Options, IReadOnlyList<string> Problems) Parse(string json)
    {
        PretrainStageOptions? options;
        try
        {
            options = JsonSerializer.Deserialize(json, PretrainStageOptionsJson.Default.PretrainStageOptions);
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
        if (options.Overrides.Any(o => o.StartsWith("data.source=", StringComparison.Ordinal)))
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

    /// <summary>The pretraining config with <c>data.source</c> pointed at <paramref name="dataRoot"/>.</summary>
    public PretrainConfig LoadConfig(string dataRoot) => ConfigLoader.Load(Preset, [.. Overrides, $"data.source={dataRoot}"]);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PretrainStageOptions))]
internal sealed partial class PretrainStageOptionsJson : JsonSerializerContext;
