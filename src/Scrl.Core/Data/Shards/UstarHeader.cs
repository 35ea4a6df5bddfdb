using System.Text;

namespace Scrl.Core.Data.Shards;

/// <summary>
/// The 512-byte POSIX ustar header of a shard member, with <see cref="ShardFormat"/>'s fixed metadata: regular file,
/// mode 0644, uid/gid 0, mtime 0, no owner names. Byte for byte what System.Formats.Tar's <c>TarWriter</c> writes for
/// such an entry (a test holds it to that); built by hand because TarWriter's per-entry work was most of the cost of
/// writing a shard.
/// </summary>
internal static class UstarHeader
{
    /// <summary>Longest member name without ustar's prefix field, which shard keys never need.</summary>
    public const int MaxNameBytes = 100;

    /// <summary>Largest member: the size field holds 11 octal digits.</summary>
    public const long MaxSize = (1L << 33) - 1;

    private const int SizeOffset = 124;
    private const int ChecksumOffset = 148;

    // Everything but name, size and checksum; the checksum field counts as eight spaces while the sum is taken.
    private static readonly byte[] Template = CreateTemplate();

    /// <summary>Writes the header of member <paramref name="name"/> (ASCII) holding <paramref name="size"/> bytes.</summary>
    public static void Write(Span<byte> header, string name, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        header = header[..ShardFormat.BlockSize];
        Template.CopyTo(header);
        if (Ascii.FromUtf16(name, header[..MaxNameBytes], out _) != System.Buffers.OperationStatus.Done)
            throw new ArgumentException($"Member name '{name}' must be ASCII and at most {MaxNameBytes} bytes.", nameof(name));
        WriteOctal(header.Slice(SizeOffset, 12), size);

        int sum = 0;
        foreach (byte b in header) sum += b;
        WriteOctal(header.Slice(ChecksumOffset, 7), sum);   // six digits and a NUL, then the space the template left
    }

    /// <summary>Zero-padded octal digits filling <paramref name="field"/> but its last byte, which stays NUL.</summary>
    private static void WriteOctal(Span<byte> field, long value)
    {
        for (int i = field.Length - 2; i >= 0; i--, value >>= 3) field[i] = (byte)('0' + (value & 7));
        field[^1] = 0;
    }

    private static byte[] CreateTemplate()
    {
        var header = new byte[ShardFormat.BlockSize];
        void Put(int offset, string text) => Encoding.ASCII.GetBytes(text, header.AsSpan(offset));
        Put(100, "0000644");       // mode
        Put(108, "0000000");       // uid
        Put(116, "0000000");       // gid
        Put(136, "00000000000");   // mtime
        Put(ChecksumOffset, "        ");
        Put(156, "0");             // regular file
        Put(257, "ustar\0" + "00");
        return header;
    }
}
