using System.Buffers;
using System.Security.Cryptography;

namespace Scrl.Pipeline.Tests.Artifacts;

/// <summary>Hashes streams chunk by chunk, so comparing gigabytes never needs them in memory.</summary>
internal static class StreamDigest
{
    public static async Task<(string Sha256, long Length)> ReadToEndAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        long total = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, 1 << 20), cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                total += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (Convert.ToHexStringLower(sha.GetHashAndReset()), total);
    }
}
