using System.Buffers.Binary;

namespace Scrl.Core.Training.Metrics;

/// <summary>
/// Writes TFRecord framing: uint64 length, masked CRC-32C of the length, the payload, masked CRC-32C of the
/// payload; all little-endian. This is the container of TensorBoard event files.
/// </summary>
public sealed class TfRecordWriter(Stream stream) : IDisposable
{
    private readonly Stream _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    public void Write(ReadOnlySpan<byte> record)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)record.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(record));
        _stream.Write(header);
        _stream.Write(record);
        _stream.Write(footer);
    }

    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();
}
