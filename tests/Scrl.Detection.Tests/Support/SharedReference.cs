namespace Scrl.Detection.Tests.Support;

/// <summary>
/// Locates <c>../shared</c> (fixtures that must not be copied into the repository): <c>SCRL_SHARED_DIR</c> when CI
/// sets it, else a <c>shared/reference</c> folder beside one of the test assembly's ancestors. Tests using it carry
/// <c>[Trait("Category", "Shared")]</c> and fail, never skip, when it is absent.
/// </summary>
public static class SharedReference
{
    /// <summary>The absolute path of <paramref name="relative"/> under the shared folder; fails the test if missing.</summary>
    public static string PathOf(string relative)
    {
        string? root = Environment.GetEnvironmentVariable("SCRL_SHARED_DIR") is { Length: > 0 } env ? env : FindByWalkingUp();
        string? path = root is null ? null : Path.Combine(root, relative);
        if (path is null || !(Directory.Exists(path) || File.Exists(path)))
            Assert.Fail($"needs ../shared/{relative}; run from .ci/run (or set SCRL_SHARED_DIR to the shared folder)");
        return path!;
    }

    private static string? FindByWalkingUp()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "reference"))) return candidate;
        }
        return null;
    }
}
