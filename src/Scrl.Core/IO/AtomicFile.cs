namespace Scrl.Core.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a torn
/// one: the bytes go to a temporary file in the same folder (same file system, so the rename is atomic),
/// are flushed to disk (shards may opt out), and the temporary file then replaces the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on any failure the target is untouched.</summary>
    /// <param name="syncToDisk">As for <see cref="WriteAsync"/>: false skips the flush to the device, for files that need
    /// only survive a crash of the process.</param>
    public static void Write(string path, Action<Stream> write, bool syncToDisk = true)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = TempPathFor(path);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: syncToDisk);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> through <paramref name="writeAsync"/>; on any failure or cancellation the target is untouched.</summary>
    /// <param name="syncToDisk">
    /// True: the file is on the device before it takes the name, so it survives a power loss too. False: it goes through
    /// the page cache, as <c>cp</c> and <c>tar</c> write, and the kernel writes it back later; the rename is still atomic
    /// for every reader and against a crash of the process.
    /// </param>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> writeAsync,
                                        CancellationToken cancellationToken = default, bool syncToDisk = true)
    {
        ArgumentNullException.ThrowIfNull(writeAsync);
        string temp = TempPathFor(path);
        try
        {
            await using (var stream = CreateTemp(temp, syncToDisk))
            {
                await writeAsync(stream, cancellationToken).ConfigureAwait(false);
                if (stream is DirectFileStream direct) direct.FlushToDisk();
                else if (stream is WritebackFileStream writeback) await writeback.FlushToDiskAsync(cancellationToken).ConfigureAwait(false);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    // Synced large files (shards) go straight to the device where the file system allows it (DirectFileStream), and
    // otherwise start reaching the disk while still being written (WritebackFileStream).
    private static Stream CreateTemp(string temp, bool syncToDisk)
    {
        if (!syncToDisk) return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        return (Stream?)DirectFileStream.TryCreateNew(temp)
               ?? new WritebackFileStream(File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous));
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes, bool syncToDisk = true) =>
        Write(path, s => s.Write(bytes.Span), syncToDisk);

    private static string TempPathFor(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)
                           ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write '{full}': folder '{directory}' does not exist.");
        // A unique name per writer, so two processes racing on one target never share a temporary file.
        return Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }
}
