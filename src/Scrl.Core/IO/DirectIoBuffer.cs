using System.Buffers;
using System.Runtime.InteropServices;

namespace Scrl.Core.IO;

/// <summary>
/// A pooled byte buffer pinned for its lifetime, whose window starts on a <see cref="DirectFileStream.Alignment"/>
/// boundary and spans whole blocks: what <see cref="DirectFileStream"/> can write without copying.
/// </summary>
internal sealed class DirectIoBuffer : IDisposable
{
    private readonly byte[] _array;
    private readonly int _start;
    private GCHandle _pin;

    /// <summary>Rents a buffer of at least <paramref name="capacity"/> usable bytes.</summary>
    public DirectIoBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _array = ArrayPool<byte>.Shared.Rent(capacity + DirectFileStream.Alignment);
        _pin = GCHandle.Alloc(_array, GCHandleType.Pinned);
        _start = (int)((DirectFileStream.Alignment - (nuint)_pin.AddrOfPinnedObject() % DirectFileStream.Alignment) % DirectFileStream.Alignment);
        Capacity = (_array.Length - _start) / DirectFileStream.Alignment * DirectFileStream.Alignment;
    }

    /// <summary>Usable bytes: a multiple of the alignment, at least what was asked for.</summary>
    public int Capacity { get; }

    public Span<byte> Span => _array.AsSpan(_start, Capacity);

    public Memory<byte> Memory => _array.AsMemory(_start, Capacity);

    public void Dispose()
    {
        if (!_pin.IsAllocated) return;
        _pin.Free();
        ArrayPool<byte>.Shared.Return(_array);
    }
}
