namespace Scrl.Pipeline.Specs;

/// <summary>A dataset location a stage reads directly: a path the workers can read, or a <c>file://</c> URI.</summary>
public static class SplitLocation
{
    /// <summary>Checks an optional location; null means the stage's default.</summary>
    internal static IReadOnlyList<ValidationError> Validate(string path, string? location)
    {
        if (location is null) return [];
        if (string.IsNullOrWhiteSpace(location) || location.Trim() != location)
            return [new(path, "must be a non-empty path without surrounding whitespace")];
        if (Uri.TryCreate(location, UriKind.Absolute, out Uri? uri) && !uri.IsFile && !Path.IsPathRooted(location))
            return [new(path, $"scheme '{uri.Scheme}' is not supported here; give a path or file:// URI the workers can read")];
        return [];
    }

    /// <summary>The local path of a location (a <c>file://</c> URI's path, or the path itself).</summary>
    public static string LocalPath(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out Uri? uri) && uri.IsFile ? uri.LocalPath : location;
}
