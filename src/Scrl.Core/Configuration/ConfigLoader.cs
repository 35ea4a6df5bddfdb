using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scrl.Core.Configuration;

/// <summary>
/// Builds a <see cref="PretrainConfig"/> from a preset name or a JSON file, then <c>key=value</c> overrides
/// (dotted camelCase paths, e.g. <c>optim.baseLearningRate=0.3</c>). Every problem is reported at once.
/// </summary>
public static class ConfigLoader
{
    private const string PresetPrefix = "Scrl.Core.Configuration.Presets.";

    public static IReadOnlyList<string> PresetNames { get; } = typeof(ConfigLoader).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(PresetPrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
        .Select(n => n[PresetPrefix.Length..^".json".Length]).Order(StringComparer.Ordinal).ToArray();

    /// <param name="presetOrPath">A preset name (see <see cref="PresetNames"/>) or a path to a JSON config file.</param>
    /// <param name="overrides">Overrides as <c>dotted.key=value</c>; a value that is not JSON is taken as a string.</param>
    public static PretrainConfig Load(string presetOrPath, IEnumerable<string>? overrides = null)
    {
        var errors = new List<ValidationError>();
        JsonObject root = ReadSource(presetOrPath);
        foreach (var assignment in overrides ?? [])
            ApplyOverride(root, assignment, errors);
        if (errors.Count > 0) throw new ConfigException(errors);

        PretrainConfig config;
        try
        {
            config = root.Deserialize<PretrainConfig>(ScrlJson.Options)
                     ?? throw new ConfigException([new("$", "config is null")]);
        }
        catch (JsonException e)
        {
            throw new ConfigException([new(e.Path ?? "$", e.Message)]);
        }
        var problems = config.Validate();
        if (problems.Count > 0) throw new ConfigException(problems);
        return config;
    }

    /// <summary>
    /// Applies <c>dotted.key=value</c> overrides to any options record (e.g. the RoI evaluation's) through its JSON
    /// form, then validates; every problem is reported at once as a <see cref="ConfigException"/>.
    /// </summary>
    public static T Override<T>(T options, IEnumerable<string> overrides, Func<T, IReadOnlyList<ValidationError>> validate) where T : class
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validate);
        var root = (JsonObject)JsonSerializer.SerializeToNode(options, ScrlJson.Options)!;
        var errors = new List<ValidationError>();
        foreach (var assignment in overrides)
        {
            // An unknown key is reported and skipped, so the known ones still apply and get validated with it.
            string path = assignment.Split('=', 2)[0].Trim();
            if (assignment.Contains('=') && !HasPath(root, path)) errors.Add(new(path, $"is not an option of {typeof(T).Name}"));
            else ApplyOverride(root, assignment, errors);
        }
        T? result = null;
        try
        {
            result = root.Deserialize<T>(ScrlJson.Options);
            if (result is null) errors.Add(new("$", "options are null"));
        }
        catch (JsonException e)
        {
            errors.Add(new(e.Path ?? "$", e.Message));
        }
        if (result is not null) errors.AddRange(validate(result));
        if (errors.Count > 0) throw new ConfigException(errors);
        return result!;
    }

    public static string ToJson(PretrainConfig config) => JsonSerializer.Serialize(config, ScrlJson.Options);

    private static JsonObject ReadSource(string presetOrPath)
    {
        string text;
        using (var stream = OpenSource(presetOrPath))
        using (var reader = new StreamReader(stream))
            text = reader.ReadToEnd();
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                   ?? throw new ConfigException([new(presetOrPath, "the config must be a JSON object")]);
        }
        catch (JsonException e)
        {
            throw new ConfigException([new(presetOrPath, $"not valid JSON: {e.Message}")]);
        }
    }

    private static Stream OpenSource(string presetOrPath)
    {
        var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream(PresetPrefix + presetOrPath + ".json");
        if (resource is not null) return resource;
        if (File.Exists(presetOrPath)) return File.OpenRead(presetOrPath);
        throw new ConfigException([new("config", $"'{presetOrPath}' is neither a preset ({string.Join(", ", PresetNames)}) nor an existing file")]);
    }

    private static bool HasPath(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var key in path.Split('.'))
        {
            if (node is not JsonObject section || !section.ContainsKey(key)) return false;
            node = section[key];
        }
        return true;
    }

    private static void ApplyOverride(JsonObject root, string assignment, List<ValidationError> errors)
    {
        int eq = assignment.IndexOf('=');
        if (eq <= 0)
        {
            errors.Add(new(assignment, "an override must look like key.path=value"));
            return;
        }
        var path = assignment[..eq].Trim();
        var raw = assignment[(eq + 1)..].Trim();
        var keys = path.Split('.');
        JsonObject node = root;
        foreach (var key in keys[..^1])
        {
            if (node[key] is JsonObject child) node = child;
            else if (node[key] is null) node = (JsonObject)(node[key] = new JsonObject());
            else
            {
                errors.Add(new(path, $"'{key}' is not a section"));
                return;
            }
        }
        node[keys[^1]] = ParseValue(raw);
    }

    private static JsonNode? ParseValue(string raw)
    {
        try { return JsonNode.Parse(raw); }
        catch (JsonException) { return JsonValue.Create(raw); }
    }
}
