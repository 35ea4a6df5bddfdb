using System.Formats.Tar;
using System.Security.Cryptography;
using Scrl.Core.Data.Shards;
using Scrl.Core.IO;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.Data.Shards;

/// <summary>The hand-built tar writer against System.Formats.Tar, the reference it must match byte for byte.</summary>
public sealed class ShardTarWriterTests
{
    private const int Chunk = ShardTarWriter.ChunkBytes;

    [Theory]
    [InlineData("000000.jpg", 0)]
    [InlineData("000001.json", 1)]
    [InlineData("0000000123.png", 511)]
    [InlineData("999999.jpg", 512)]
    [InlineData("999999.json", 513)]
    [InlineData("123456.jpg", 3_000_001)]
    public void Header_MatchesTarWriter(string name, int size)
    {
        Span<byte> header = stackalloc byte[ShardFormat.BlockSize];
        UstarHeader.Write(header, name, size);

        Assert.Equal(Convert.ToHexString(Reference([(name, new byte[size])]).AsSpan(0, ShardFormat.BlockSize)), Convert.ToHexString(header));
    }

    [Fact]
    public void Header_LongestNameAndLargestSize_FillTheirFields()
    {
        var header = new byte[ShardFormat.BlockSize];
        string name = new('k', UstarHeader.MaxNameBytes);
        UstarHeader.Write(header, name, UstarHeader.MaxSize);

        Assert.Equal(name, System.Text.Encoding.ASCII.GetString(header, 0, UstarHeader.MaxNameBytes));
        Assert.Equal("77777777777\0", System.Text.Encoding.ASCII.GetString(header, 124, 12));
        Assert.Throws<ArgumentException>(() => UstarHeader.Write(header, name + "k", 1));
        Assert.Throws<ArgumentException>(() => UstarHeader.Write(header, "bild-ä.jpg", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => UstarHeader.Write(header, "big.jpg", UstarHeader.MaxSize + 1));
    }

    [Fact]
    public async Task Archive_MembersAcrossChunkBoundaries_MatchesTarWriterAndItsHash()
    {
        using var temp = new TempDirectory();
        var random = new Random(7);
        var members = new List<(string Name, byte[] Data, string? Path)>();
        for (int i = 0; i < 40; i++)   // about six chunks, members straddling them
        {
            var data = new byte[random.Next(0, Chunk * 3 / 10)];
            random.NextBytes(data);
            string? path = i % 2 == 0 ? temp.File($"{i}.bin") : null;
            if (path is not null) await File.WriteAllBytesAsync(path, data);
            members.Add(($"{i:D6}.{(path is null ? "json" : "jpg")}", data, path));
        }

        using var output = new MemoryStream();
        (long Bytes, string Sha256) result;
        await using (var tar = new ShardTarWriter(output, CancellationToken.None))
        {
            foreach (var (name, data, path) in members)
            {
                if (path is null)
                {
                    await tar.AddAsync(name, data);
                    continue;
                }
                using var file = File.OpenHandle(path);
                await tar.AddFileAsync(name, file, data.Length, path);
            }
            result = await tar.FinishAsync();
        }

        byte[] expected = Reference(members.Select(m => (m.Name, m.Data)));
        Assert.True(expected.AsSpan().SequenceEqual(output.ToArray()), "archive differs from TarWriter's");
        Assert.Equal(expected.Length, result.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), result.Sha256);
    }

    [Fact]
    public async Task Archive_CheckedFiles_MatchesTarWriterAndEachCheckSeesItsFile()
    {
        using var temp = new TempDirectory();
        var random = new Random(9);
        var members = new List<(string Name, byte[] Data)>();
        for (int i = 0; i < 24; i++)   // sizes around and above a chunk, so members move to fresh and larger chunks
        {
            var data = new byte[i % 6 == 5 ? random.Next(Chunk, 3 * Chunk) : random.Next(0, Chunk * 4 / 10)];
            random.NextBytes(data);
            members.Add(($"{i:D6}.{(i % 3 == 0 ? "json" : "jpg")}", data));
        }

        using var output = new MemoryStream();
        var seen = new List<byte[]>();
        (long Bytes, string Sha256) result;
        await using (var tar = new ShardTarWriter(output, CancellationToken.None))
        {
            foreach (var (name, data) in members)
            {
                if (name.EndsWith(".json", StringComparison.Ordinal))
                {
                    await tar.AddAsync(name, data);
                    continue;
                }
                string path = temp.File(name);
                await File.WriteAllBytesAsync(path, data);
                using var file = File.OpenHandle(path);
                await tar.AddFileAsync(name, file, data.Length, path, bytes => seen.Add(bytes.ToArray()));
            }
            result = await tar.FinishAsync();
        }

        byte[] expected = Reference(members);
        Assert.True(expected.AsSpan().SequenceEqual(output.ToArray()), "archive differs from TarWriter's");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), result.Sha256);
        var files = members.Where(m => !m.Name.EndsWith(".json", StringComparison.Ordinal)).Select(m => m.Data).ToList();
        Assert.Equal(files.Count, seen.Count);
        for (int i = 0; i < files.Count; i++) Assert.True(files[i].AsSpan().SequenceEqual(seen[i]), $"check {i} saw other bytes");
    }

    [Fact]
    public async Task Archive_CheckedFiles_EveryWriteButTheLastIsWholeAlignedBlocks()
    {
        using var temp = new TempDirectory();
        var random = new Random(13);
        using var output = new WriteRecordingStream();
        await using (var tar = new ShardTarWriter(output, CancellationToken.None))
        {
            for (int i = 0; i < 30; i++)   // checked files send chunks early, at 512-byte member boundaries
            {
                var data = new byte[i % 10 == 9 ? random.Next(Chunk, 2 * Chunk) : random.Next(1, Chunk / 5)];
                random.NextBytes(data);
                string path = temp.File($"{i}.jpg");
                await File.WriteAllBytesAsync(path, data);
                using var file = File.OpenHandle(path);
                await tar.AddFileAsync($"{i:D6}.jpg", file, data.Length, path, _ => { });
                await tar.AddAsync($"{i:D6}.json", new byte[random.Next(100, 3000)]);
            }
            await tar.FinishAsync();
        }

        Assert.True(output.Writes.Count > 4, $"only {output.Writes.Count} writes");
        Assert.All(output.Writes.SkipLast(1), w => Assert.True(w.Address % DirectFileStream.Alignment == 0 && w.Length % DirectFileStream.Alignment == 0,
                                                                $"a write of {w.Length} bytes at address {w.Address:x}"));
    }

    [Fact]
    public async Task AddFile_FileShorterThanPromised_Throws()
    {
        using var temp = new TempDirectory();
        string path = temp.File("short.jpg");
        await File.WriteAllBytesAsync(path, new byte[100]);
        using var file = File.OpenHandle(path);
        await using var tar = new ShardTarWriter(Stream.Null, CancellationToken.None);

        var e = await Assert.ThrowsAsync<InvalidDataException>(async () => await tar.AddFileAsync("000000.jpg", file, 200, path));
        Assert.Contains(path, e.Message);
    }

    // Records where each write's bytes lie, as DirectFileStream sees them.
    private sealed class WriteRecordingStream : MemoryStream
    {
        public List<(long Address, int Length)> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!System.Runtime.InteropServices.MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment)) throw new InvalidOperationException("not an array");
            var pin = System.Runtime.InteropServices.GCHandle.Alloc(segment.Array, System.Runtime.InteropServices.GCHandleType.Pinned);
            lock (Writes) Writes.Add((pin.AddrOfPinnedObject() + segment.Offset, buffer.Length));
            pin.Free();
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    // What the writer used before: System.Formats.Tar with the shard format's fixed metadata.
    private static byte[] Reference(IEnumerable<(string Name, byte[] Data)> members)
    {
        using var output = new MemoryStream();
        using (var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, data) in members)
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(data),
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    Uid = 0,
                    Gid = 0,
                    UserName = "",
                    GroupName = "",
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                });
        }
        return output.ToArray();
    }
}
