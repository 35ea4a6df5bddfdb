using System.Text.Json;
using Scrl.Pipeline.Specs;

namespace Scrl.Worker.Stages;

/// <summary>Reads a job's <c>OptionsJson</c> in the form the run orchestration writes it.</summary>
public static class StageOptions
{
    /// <returns>The options, or null with the reason.</returns>
    public static (T? Options, string? Problem) Parse<T>(string json, string stage) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, SpecJson.Options) is { } options
                ? (options, null)
                : (null, "options are null");
        }
        catch (JsonException ex)
        {
            return (null, $"options are not valid {stage} options JSON: {ex.Message}");
        }
    }

    /// <summary>Overrides as the <c>key=value</c> assignments the option loaders take.</summary>
    public static IEnumerable<string> Assignments(IReadOnlyDictionary<string, string> overrides) =>
        overrides.Select(o => $"{o.Key}={o.Value}");
}
