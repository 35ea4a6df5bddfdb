using System.Buffers.Binary;
using System.Text;

namespace Scrl.Core.Interop;

/// <summary>
/// Emits Python pickle opcodes (protocol 3) one by one. Callers build values the way the unpickler's
/// stack machine consumes them: MARK, items, TUPLE; callable, args tuple, REDUCE; object, state, BUILD.
/// </summary>
/// <remarks>
/// Protocol 3 because it is the lowest with BINBYTES: protocol 2 has no bytes type and would need
/// <c>_codecs.encode</c> calls for array data. Every Python 3 reads it, and it is what
/// <c>pickle.dump</c> wrote by default up to Python 3.7. No memo (PUT/GET): each object is written once.
/// </remarks>
internal sealed class PickleWriter(Stream output)
{
    private const byte Proto = 0x80, Stop = (byte)'.', MarkOp = (byte)'(', GlobalOp = (byte)'c', ReduceOp = (byte)'R',
        BuildOp = (byte)'b', TupleOp = (byte)'t', EmptyDictOp = (byte)'}', SetItemsOp = (byte)'u',
        BinUnicode = (byte)'X', BinBytes = (byte)'B', BinInt = (byte)'J', NoneOp = (byte)'N', NewTrue = 0x88, NewFalse = 0x89;

    private readonly Stream _output = output;

    public void Begin() { _output.WriteByte(Proto); _output.WriteByte(3); }

    public void End() => _output.WriteByte(Stop);

    public void Mark() => _output.WriteByte(MarkOp);

    /// <summary>Pushes <c>module.name</c>, e.g. a class or function to REDUCE with.</summary>
    public void Global(string module, string name)
    {
        _output.WriteByte(GlobalOp);
        _output.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    /// <summary>Pops args tuple and callable, pushes callable(*args).</summary>
    public void Reduce() => _output.WriteByte(ReduceOp);

    /// <summary>Pops state, calls <c>__setstate__(state)</c> on the object below it.</summary>
    public void Build() => _output.WriteByte(BuildOp);

    /// <summary>Pops everything down to the last MARK into a tuple.</summary>
    public void Tuple() => _output.WriteByte(TupleOp);

    public void EmptyDict() => _output.WriteByte(EmptyDictOp);

    /// <summary>Pops key/value pairs down to the last MARK into the dict below the MARK.</summary>
    public void SetItems() => _output.WriteByte(SetItemsOp);

    public void None() => _output.WriteByte(NoneOp);

    public void Bool(bool value) => _output.WriteByte(value ? NewTrue : NewFalse);

    public void Int(int value)
    {
        _output.WriteByte(BinInt);
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        _output.Write(buffer);
    }

    /// <summary>A Python <c>str</c>, UTF-8 encoded.</summary>
    public void Unicode(string value)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(value);
        _output.WriteByte(BinUnicode);
        WriteLength(utf8.Length);
        _output.Write(utf8);
    }

    /// <summary>A Python <c>bytes</c>.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        _output.WriteByte(BinBytes);
        WriteLength(value.Length);
        _output.Write(value);
    }

    private void WriteLength(int length)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)length);
        _output.Write(buffer);
    }
}
