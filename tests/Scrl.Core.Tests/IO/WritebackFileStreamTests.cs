using Scrl.Core.IO;
using Scrl.Core.Tests.Support;

namespace Scrl.Core.Tests.IO;

/// <summary>The page-cache path that AtomicFile takes where direct I/O is unavailable.</summary>
public sealed class WritebackFileStreamTests
{
    [Fact]
    public async Task Write_PiecesAcrossWritebackSteps_FileHoldsExactlyTheBytes()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("shard.tar");
        var expected = new byte[3 * WritebackFileStream.WritebackBytes + 12345];   // several background fsyncs
        new Random(3).NextBytes(expected);

        await using (var stream = new WritebackFileStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous)))
        {
            for (int offset = 0, i = 0; offset < expected.Length; offset += 700_001, i++)
            {
                var piece = expected.AsMemory(offset, Math.Min(700_001, expected.Length - offset));
                if (i % 2 == 0) await stream.WriteAsync(piece);
                else stream.Write(piece.Span);
            }
            await stream.FlushToDiskAsync(CancellationToken.None);
        }

        byte[] written = await File.ReadAllBytesAsync(path);
        Assert.True(expected.AsSpan().SequenceEqual(written));
    }
}
