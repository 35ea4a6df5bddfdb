using System.Text;
using Scrl.Core.IO;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Write_ReplacesExistingContent_LeavingNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("result.json");
        File.WriteAllText(path, "old");

        AtomicFile.Write(path, s => s.Write("new"u8));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Write_WriterThrows_KeepsOldContent()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("step-000500.ckpt");
        File.WriteAllText(path, "complete checkpoint");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half a checkpo"u8);
            throw new IOException("disk full");
        }));

        Assert.Equal("complete checkpoint", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task WriteAsync_Cancelled_LeavesTargetAbsent()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("latest");
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, async (s, ct) =>
        {
            await s.WriteAsync(Encoding.UTF8.GetBytes("partial"), ct);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cts.Token));

        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task WriteAsync_WritesContent()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("report.md");
        await AtomicFile.WriteAsync(path, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes("# report"), ct).AsTask());
        Assert.Equal("# report", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task WriteAsync_LargerThanWritebackStep_WritesEverythingInOrder()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("shard.tar");
        var expected = new byte[3 * WritebackFileStream.WritebackBytes + 12345];   // several writeback steps, or direct-I/O gather buffers
        new Random(3).NextBytes(expected);

        await AtomicFile.WriteAsync(path, async (s, ct) =>
        {
            for (int offset = 0; offset < expected.Length; offset += 700_001)   // odd pieces, sync and async
            {
                var piece = expected.AsMemory(offset, Math.Min(700_001, expected.Length - offset));
                if (offset % 2 == 0) await s.WriteAsync(piece, ct);
                else WriteSync(s, piece);
            }
        });

        byte[] written = await File.ReadAllBytesAsync(path);
        Assert.True(expected.AsSpan().SequenceEqual(written));
        Assert.Equal([path], Directory.GetFiles(temp.Path));

        static void WriteSync(Stream stream, ReadOnlyMemory<byte> piece) => stream.Write(piece.Span);
    }

    [Fact]
    public void Write_MissingFolder_ThrowsNamingIt()
    {
        using var temp = new TempDirectory();
        var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllBytes(temp.Combine("absent", "x.bin"), new byte[] { 1 }));
        Assert.Contains(temp.Combine("absent"), error.Message);
    }
}
