using System.Buffers.Binary;
using Scrl.Core.Training.Metrics;

namespace Scrl.Core.Tests.Metrics;

/// <summary>Reads TFRecord framing back, checking both masked CRCs of every record.</summary>
internal static class TfRecordReader
{
    public static List<byte[]> ReadAll(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        int at = 0;
        while (at < bytes.Length)
        {
            var header = bytes.AsSpan(at, 12);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Assert.Equal(Crc32C.Masked(header[..8]), BinaryPrimitives.ReadUInt32LittleEndian(header[8..]));
            var data = bytes.AsSpan(at + 12, (int)length);
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4)));
            records.Add(data.ToArray());
            at += 12 + (int)length + 4;
        }
        Assert.Equal(bytes.Length, at);
        return records;
    }
}
