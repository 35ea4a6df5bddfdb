namespace Scrl.Pipeline.Artifacts;

/// <summary>One listed artifact.</summary>
/// <param name="Name">The artifact's name (see <see cref="ArtifactName"/>).</param>
/// <param name="Size">Length of the content in bytes.</param>
/// <param name="LastModified">When the content was last committed.</param>
/// <param name="ContentMd5">MD5 of the whole content, or null when the store does not know it
/// (a blob written by a tool that set no Content-MD5, a local file without its sidecar).</param>
public sealed record ArtifactInfo(string Name, long Size, DateTimeOffset LastModified, byte[]? ContentMd5);
