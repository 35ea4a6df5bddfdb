namespace Scrl.Core.Tests.Support;

/// <summary>
/// Finds data under the repository's sibling <c>shared/</c> folder: <c>SCRL_SHARED_DIR</c> if set, else the first
/// <c>shared</c> folder found walking up from the test assembly. Missing data fails the test; it never skips.
/// </summary>
public static class SharedData
{
    /// <summary>The full path of <c>shared/{relative}</c>; fails the test when it is absent.</summary>
    public static string Folder(string relative)
    {
        string? root = Environment.GetEnvironmentVariable("SCRL_SHARED_DIR") is { Length: > 0 } configured ? configured : FindSharedRoot();
        string? path = root is null ? null : Path.Combine(root, relative);
        if (path is null || !Directory.Exists(path)) Assert.Fail($"needs ../shared/{relative}; run via .ci/run");
        return path;
    }

    private static string? FindSharedRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data"))) return candidate;
        }
        return null;
    }
}
