using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scrl.Core.Configuration;

/// <summary>The one JSON dialect of configs: camelCase, enums as strings, and unknown keys rejected.</summary>
/// <remarks>
/// Reflection-based on purpose: the System.Text.Json source generator builds init-only properties through an
/// object initializer and so resets every key missing from the JSON to default(T), losing the recipe defaults.
/// </remarks>
public static class ScrlJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.Strict,
        IgnoreReadOnlyProperties = true,
    };
}
