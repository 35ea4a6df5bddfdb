namespace Scrl.Core.Data.Synthetic;

/// <summary>
/// Writes a folder under a temporary sibling name and renames it into place only when complete, so a crash or
/// cancellation never leaves a partial dataset under the final name.
/// </summary>
internal static class StagedFolder
{
    /// <param name="write">Fills the staging folder it is given.</param>
    /// <exception cref="IOException"><paramref name="root"/> already exists.</exception>
    public static void Write(string root, Action<string> write, CancellationToken ct)
    {
        string final = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(final) || File.Exists(final)) throw new IOException($"'{final}' already exists; delete it or choose another folder.");
        string parent = Path.GetDirectoryName(final) ?? throw new ArgumentException($"'{root}' has no parent folder.", nameof(root));
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(final)}.partial-{Guid.NewGuid():N}");
        try
        {
            write(staging);
            ct.ThrowIfCancellationRequested();
            Directory.Move(staging, final);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }
}
