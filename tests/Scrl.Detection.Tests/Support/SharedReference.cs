namespace Scrl.Detection.Tests.Support;

/// <summary>
/// Locates <c>../shared</c> (fixtures that must not be copied into the repository): <c>SCRL_SHARED_DIR</c> when CI
/// sets it (a relative path is taken from the repository root, as <c>SCRL_SHARED_DIR=../shared dotnet test</c>
/// means it), else a <c>shared/reference</c> folder beside one of the test assembly's ancestors. Tests using it carry
/// <c>[Trait("Category", "Shared")]</c> and fail, never skip, when it is absent.
/// </summary>
public static class SharedReference
{
    /// <summary>The absolute path of <paramref name="relative"/> under the shared folder; fails the test if missing.</summary>
    public static string PathOf(string relative)
    {
        string? root = Environment.GetEnvironmentVariable("SCRL_SHARED_DIR") is { Length: > 0 } env ? FromRepositoryRoot(env) : FindByWalkingUp();
        string? path = root is null ? null : Path.Combine(root, relative);
        if (path is null || !(Directory.Exists(path) || File.Exists(path)))
            Assert.Fail($"needs ../shared/{relative}; run from .ci/run (or set SCRL_SHARED_DIR to the shared folder)");
        return path!;
    }

    /// <summary>The test host runs in the build output folder, so a relative setting is resolved from the repository root.</summary>
    private static string FromRepositoryRoot(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Scrl.Cloud.sln"))) return Path.GetFullPath(Path.Combine(dir.FullName, path));
        return path;
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
