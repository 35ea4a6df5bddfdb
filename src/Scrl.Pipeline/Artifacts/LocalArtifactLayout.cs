namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// Where <see cref="LocalFolderArtifactStore"/> keeps things. Everything that is not an artifact has a
/// name starting with '.', which <see cref="ArtifactName"/> forbids, so it never collides or gets listed:
/// <c>a/.b.ckpt.md5</c> (hash sidecar), <c>a/.b.ckpt.{guid}.tmp</c> (write in progress),
/// <c>.claims/{name}.lock</c> (claim lock file).
/// </summary>
internal sealed class LocalArtifactLayout(string root)
{
    private const string ClaimsFolder = ".claims";

    public string Root { get; } = Path.GetFullPath(root);

    public string PathOf(string name) => Path.Combine(Root, ArtifactName.Validate(name).Replace('/', Path.DirectorySeparatorChar));

    public string ClaimPathOf(string name) =>
        Path.Combine(Root, ClaimsFolder, ArtifactName.Validate(name).Replace('/', Path.DirectorySeparatorChar) + ".lock");

    public static string SidecarPathOf(string artifactPath) => Decorated(artifactPath, ".md5");

    public static string NewTempPathOf(string path) => Decorated(path, $".{Guid.NewGuid():N}.tmp");

    public string NameOf(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Whether a file or folder name belongs to the store rather than to an artifact.</summary>
    public static bool IsInternal(string fileOrFolderName) => fileOrFolderName.StartsWith('.');

    /// <summary>
    /// The MD5 recorded next to an artifact, or null when there is no (readable) sidecar. Synchronous: the
    /// file is 32 bytes, and the read-verification callback that needs it is synchronous.
    /// </summary>
    public static byte[]? ReadSidecar(string artifactPath)
    {
        try
        {
            string hex = File.ReadAllText(SidecarPathOf(artifactPath)).Trim();
            return hex.Length == 32 ? Convert.FromHexString(hex) : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or FormatException)
        {
            return null;
        }
    }

    private static string Decorated(string path, string suffix) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + suffix);
}
