using Scrl.Core.IO;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.IO;

public sealed class DirectFileStreamTests
{
    [Fact]
    public async Task Write_AlignedAndOddPieces_FileHoldsExactlyTheBytes()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("shard.tar");
        var expected = new List<byte>();
        var random = new Random(5);
        using var aligned = new DirectIoBuffer(3 * DirectFileStream.Alignment);

        using (var stream = DirectFileStream.TryCreateNew(path) ?? throw new Xunit.Sdk.XunitException("this file system refuses direct I/O"))
        {
            for (int i = 0; i < 40; i++)
            {
                byte[] piece;
                if (i % 3 == 0)   // whole blocks at an aligned address: the path without a copy
                {
                    random.NextBytes(aligned.Span);
                    int blocks = 1 + i % 3;
                    piece = aligned.Span[..(blocks * DirectFileStream.Alignment)].ToArray();
                    if (i % 2 == 0) stream.Write(aligned.Span[..piece.Length]);
                    else await stream.WriteAsync(aligned.Memory[..piece.Length]);
                }
                else             // odd sizes and addresses: gathered
                {
                    piece = new byte[random.Next(0, 300_000)];
                    random.NextBytes(piece);
                    if (i % 2 == 0) stream.Write(piece);
                    else await stream.WriteAsync(piece);
                }
                expected.AddRange(piece);
            }
            var tail = new byte[777];   // ends mid-block: written padded, then cut back
            random.NextBytes(tail);
            stream.Write(tail);
            expected.AddRange(tail);
            stream.FlushToDisk();
            Assert.Equal(expected.Count, stream.Length);
        }

        byte[] written = await File.ReadAllBytesAsync(path);
        Assert.True(expected.ToArray().AsSpan().SequenceEqual(written), "file differs from what was written");
    }

    [Fact]
    public void Write_Nothing_LeavesAnEmptyFile()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("empty.tar");

        using (var stream = DirectFileStream.TryCreateNew(path)!) stream.FlushToDisk();

        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void TryCreateNew_FileExists_ReturnsNullAndKeepsIt()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("taken.tar");
        File.WriteAllText(path, "kept");

        Assert.Null(DirectFileStream.TryCreateNew(path));
        Assert.Equal("kept", File.ReadAllText(path));
    }
}
