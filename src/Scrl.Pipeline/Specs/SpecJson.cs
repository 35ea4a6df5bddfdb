using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Scrl.Pipeline.Specs;

/// <summary>
/// The one JSON dialect of the pipeline's documents (specs, result manifests, reports, leaderboards): camelCase,
/// enums as strings, unknown keys rejected so that a mistyped key fails instead of silently using a default.
/// </summary>
/// <remarks>
/// Reflection-based on purpose, like Scrl.Core's ScrlJson: the System.Text.Json source generator sets init-only
/// properties through an object initializer, so every key missing from the JSON would reset to default(T) and the
/// documented defaults would be lost.
/// </remarks>
public static class SpecJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.Strict,
        IgnoreReadOnlyProperties = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Reads a run spec and validates it: returns the spec, or every problem found (a JSON syntax or type
    /// error stops the reader, so it comes alone; otherwise all of <see cref="RunSpec.Validate"/>'s).</summary>
    public static (RunSpec? Spec, IReadOnlyList<ValidationError> Errors) ReadRunSpec(string json) =>
        Read<RunSpec>(json, static spec => spec.Validate());

    /// <summary>Reads a sweep spec and validates it, as <see cref="ReadRunSpec"/> does.</summary>
    public static (SweepSpec? Spec, IReadOnlyList<ValidationError> Errors) ReadSweepSpec(string json) =>
        Read<SweepSpec>(json, static spec => spec.Validate());

    private static (T? Spec, IReadOnlyList<ValidationError> Errors) Read<T>(string json, Func<T, IReadOnlyList<ValidationError>> validate)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        T? spec;
        try
        {
            spec = JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException e)
        {
            return (null, [new(e.Path ?? "$", e.Message)]);
        }
        if (spec is null) return (null, [new("$", "the spec must be a JSON object, was null")]);
        IReadOnlyList<ValidationError> errors = validate(spec);
        return errors.Count == 0 ? (spec, errors) : (null, errors);
    }
}
