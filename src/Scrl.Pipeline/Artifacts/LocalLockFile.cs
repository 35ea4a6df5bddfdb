using System.Globalization;
using System.Text;

namespace Scrl.Pipeline.Artifacts;

/// <summary>
/// The lock file behind a local claim: one line <c>{token} {expiresUnixMs} {holder}</c>, or empty when free.
/// </summary>
/// <remarks>
/// Every read-check-write happens while holding the file open with <see cref="FileShare.None"/>, which .NET
/// enforces across processes (flock on Unix, share modes on Windows) and the OS drops when a process dies.
/// That makes acquire, takeover of an expired record, renew and release atomic, which a CreateNew +
/// rename-takeover scheme is not (a third claimer can slip in between the rename and the new create).
/// Lock files are never deleted: unlinking a file another process is about to lock would let two
/// processes lock two different files under one name. Expiry compares wall-clock times, so the guarantee
/// holds among processes sharing one clock (one machine, or a shared volume with synchronized clocks)
/// that honour advisory locks.
/// </remarks>
internal static class LocalLockFile
{
    private const int MaxAttempts = 400;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>Writes a record for <paramref name="token"/> unless an unexpired record of someone else is there.</summary>
    public static Task<bool> TryAcquireAsync(string path, Guid token, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        UnderLockAsync(path, file =>
        {
            LockRecord? current = Read(file);
            if (current is not null && current.Token != token && current.ExpiresAt > now) return false;
            Write(file, new LockRecord(token, expiresAt, Holder()));
            return true;
        }, cancellationToken);

    /// <summary>Moves the expiry of <paramref name="token"/>'s record; false when the record is gone, expired or someone else's.</summary>
    public static Task<bool> TryRenewAsync(string path, Guid token, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        UnderLockAsync(path, file =>
        {
            LockRecord? current = Read(file);
            if (current is null || current.Token != token || current.ExpiresAt <= now) return false;
            Write(file, current with { ExpiresAt = expiresAt });
            return true;
        }, cancellationToken);

    /// <summary>Clears the record if it is still <paramref name="token"/>'s.</summary>
    public static Task<bool> ReleaseAsync(string path, Guid token, CancellationToken cancellationToken) =>
        UnderLockAsync(path, file =>
        {
            if (Read(file)?.Token != token) return false;
            file.SetLength(0);
            return true;
        }, cancellationToken);

    private static async Task<bool> UnderLockAsync(string path, Func<FileStream, bool> action, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (int attempt = 1; ; attempt++)
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (IOException) when (attempt < MaxAttempts && File.Exists(path))
            {
                // Someone else is inside their few-microsecond read-check-write; try again shortly.
                await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (file) return action(file);
        }
    }

    private static LockRecord? Read(FileStream file)
    {
        file.Position = 0;
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        string[] parts = reader.ReadToEnd().Trim().Split(' ', 3);
        if (parts.Length < 2 || !Guid.TryParseExact(parts[0], "N", out Guid token)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long expiresMs))
            return null; // empty (free) or unreadable: nobody can prove they hold it
        return new LockRecord(token, DateTimeOffset.FromUnixTimeMilliseconds(expiresMs), parts.Length > 2 ? parts[2] : "");
    }

    private static void Write(FileStream file, LockRecord record)
    {
        byte[] line = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{record.Token:N} {record.ExpiresAt.ToUnixTimeMilliseconds()} {record.Holder}\n"));
        file.SetLength(0);
        file.Position = 0;
        file.Write(line);
        file.Flush();
    }

    private static string Holder() => $"{Environment.ProcessId}@{Environment.MachineName}";

    private sealed record LockRecord(Guid Token, DateTimeOffset ExpiresAt, string Holder);
}
