using System.Text.RegularExpressions;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// Validates artifact names and builds the names the architecture uses:
/// <c>runs/{runId}/{stage}/...</c> and <c>datasets/{hash}/...</c>.
/// </summary>
/// <remarks>
/// A name is one or more '/'-separated segments of <c>[A-Za-z0-9._-]</c>, at most
/// <see cref="MaxLength"/> characters. Segments are non-empty and never start with '.': this rules out
/// <c>.</c> and <c>..</c> and reserves dot-names for the stores' own files (temp files, hash sidecars,
/// claim markers), so those can never collide with an artifact or show up in a listing.
/// The same name is a valid blob name and a valid relative path on Linux and Windows.
/// </remarks>
public static partial class ArtifactName
{
    /// <summary>Longest accepted name; Blob allows 1,024 and local stores add a short suffix to temp files.</summary>
    public const int MaxLength = 900;

    /// <summary>Longest accepted segment; file systems allow 255 bytes, minus room for temp-file decoration.</summary>
    public const int MaxSegmentLength = 200;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first rule <paramref name="name"/> breaks.</summary>
    public static string Validate(string name, string paramName = "name")
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (name.Length == 0) throw new ArgumentException("Artifact name must not be empty.", paramName);
        CheckCharacters(name, paramName);
        if (name.Length > MaxLength)
            throw new ArgumentException($"Artifact name is {name.Length} characters; the maximum is {MaxLength}.", paramName);
        foreach (string segment in name.Split('/')) CheckSegment(name, segment, paramName);
        return name;
    }

    /// <summary>
    /// Validates a listing prefix: empty (everything), or a name that may end with '/' or stop mid-segment.
    /// </summary>
    public static string ValidatePrefix(string prefix, string paramName = "prefix")
    {
        ArgumentNullException.ThrowIfNull(prefix, paramName);
        if (prefix.Length == 0) return prefix;
        string body = prefix.EndsWith('/') ? prefix[..^1] : prefix;
        if (body.Length == 0) throw new ArgumentException("Prefix must not start with '/'.", paramName);
        Validate(body, paramName);
        return prefix;
    }

    /// <summary>Returns whether <paramref name="name"/> is valid, without throwing.</summary>
    public static bool IsValid(string? name)
    {
        if (name is null) return false;
        try { Validate(name); return true; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>
    /// <c>runs/{runId}/{stage}/{relative}</c>, e.g. <c>Run("r-1", "pretrain", "step-000500.ckpt")</c>.
    /// </summary>
    public static string Run(string runId, string stage, string relative)
    {
        ValidateRunId(runId);
        ValidateStage(stage);
        Validate(relative, nameof(relative));
        return Validate($"runs/{runId}/{stage}/{relative}", nameof(relative));
    }

    /// <summary><c>runs/{runId}/{stage}/</c>: the listing prefix of one stage of one run.</summary>
    public static string RunStagePrefix(string runId, string stage)
    {
        ValidateRunId(runId);
        ValidateStage(stage);
        return $"runs/{runId}/{stage}/";
    }

    /// <summary><c>datasets/{contentHash}/{relative}</c>, e.g. <c>Dataset(hash, "shards/000001.tar")</c>.</summary>
    public static string Dataset(string contentHash, string relative)
    {
        ValidateContentHash(contentHash);
        Validate(relative, nameof(relative));
        return Validate($"datasets/{contentHash}/{relative}", nameof(relative));
    }

    /// <summary>Run ids are <c>[a-z0-9-]{1,63}</c>: they also name Durable instances and container paths.</summary>
    public static string ValidateRunId(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (!RunIdPattern().IsMatch(runId))
            throw new ArgumentException($"Run id '{runId}' must be 1-63 characters of lowercase letters, digits and '-'.", nameof(runId));
        return runId;
    }

    /// <summary>Stage names (<c>pretrain</c>, <c>roi-eval</c>, ...) follow the run-id rule.</summary>
    public static string ValidateStage(string stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        if (!RunIdPattern().IsMatch(stage))
            throw new ArgumentException($"Stage '{stage}' must be 1-63 characters of lowercase letters, digits and '-'.", nameof(stage));
        return stage;
    }

    /// <summary>Whether <paramref name="text"/> is a dataset hash: lowercase hex, 16 to 128 digits.</summary>
    public static bool IsContentHash(string text) => ContentHashPattern().IsMatch(text);

    /// <summary>Returns <paramref name="contentHash"/>, or throws when it is not a dataset hash (<see cref="IsContentHash"/>).</summary>
    public static string ValidateContentHash(string contentHash)
    {
        ArgumentNullException.ThrowIfNull(contentHash);
        if (!IsContentHash(contentHash))
            throw new ArgumentException($"Content hash '{contentHash}' must be 16-128 lowercase hex digits.", nameof(contentHash));
        return contentHash;
    }

    private static void CheckCharacters(string name, string paramName)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/') continue;
            string what = c == '\\' ? "a backslash (use '/')" : $"'{c}' (U+{(int)c:X4})";
            throw new ArgumentException(
                $"Artifact name '{name}' contains {what} at index {i}; allowed are A-Z a-z 0-9 . _ - /.", paramName);
        }
    }

    private static void CheckSegment(string name, string segment, string paramName)
    {
        if (segment.Length == 0)
            throw new ArgumentException(
                $"Artifact name '{name}' has an empty segment (leading, trailing or double '/'; names are relative).", paramName);
        if (segment is "." or "..")
            throw new ArgumentException($"Artifact name '{name}' contains the path segment '{segment}'.", paramName);
        if (segment[0] == '.')
            throw new ArgumentException(
                $"Artifact name '{name}' has segment '{segment}' starting with '.', which is reserved for the store's own files.", paramName);
        if (segment.Length > MaxSegmentLength)
            throw new ArgumentException(
                $"Artifact name '{name}' has a {segment.Length}-character segment; the maximum is {MaxSegmentLength}.", paramName);
    }

    [GeneratedRegex("^[a-z0-9-]{1,63}$")]
    private static partial Regex RunIdPattern();

    [GeneratedRegex("^[0-9a-f]{16,128}$")]
    private static partial Regex ContentHashPattern();
}
