namespace Scrl.Detection.Tests.Support;

/// <summary>Paths of fixtures committed under <c>golden/</c> and copied beside the test assembly.</summary>
public static class GoldenFiles
{
    public static string PathOf(string relative)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "golden", relative);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Golden file '{relative}' is missing; regenerate it with the script beside it.", path);
        return path;
    }
}
