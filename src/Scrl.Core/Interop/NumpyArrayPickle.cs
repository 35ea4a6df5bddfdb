using static TorchSharp.torch;

namespace Scrl.Core.Interop;

/// <summary>
/// Pickles a tensor as the <c>numpy.ndarray</c> that <c>tensor.numpy()</c> would give, using the same
/// opcodes as numpy's own <c>ndarray.__reduce__</c> (protocol &lt; 5), so plain <c>pickle.load</c> plus
/// numpy rebuilds it without torch.
/// </summary>
internal static class NumpyArrayPickle
{
    /// <summary>numpy's dtype string for each tensor dtype we export.</summary>
    private static string DtypeCode(ScalarType dtype, string key) => dtype switch
    {
        ScalarType.Float32 => "f4",
        ScalarType.Float64 => "f8",
        ScalarType.Float16 => "f2",
        ScalarType.Int64 => "i8", // BatchNorm's num_batches_tracked
        _ => throw new ArgumentException($"'{key}' has dtype {dtype}, which has no numpy export here.", nameof(dtype)),
    };

    /// <summary>Writes <c>_reconstruct(ndarray, (0,), b'b')</c> + BUILD <c>(1, shape, dtype, False, data)</c>.</summary>
    /// <param name="tensor">A contiguous CPU tensor.</param>
    /// <param name="key">Names the tensor in errors.</param>
    public static void Write(PickleWriter writer, Tensor tensor, string key)
    {
        // Array data is written in host byte order and declared little-endian ('<').
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("numpy export assumes a little-endian host.");
        string dtype = DtypeCode(tensor.dtype, key);

        writer.Global("numpy.core.multiarray", "_reconstruct");
        writer.Mark();
        writer.Global("numpy", "ndarray");
        writer.Mark(); writer.Int(0); writer.Tuple();
        writer.Bytes("b"u8);
        writer.Tuple();
        writer.Reduce();

        writer.Mark();
        writer.Int(1);                                           // state version
        writer.Mark();
        foreach (long dim in tensor.shape) writer.Int(checked((int)dim));
        writer.Tuple();
        WriteDtype(writer, dtype);
        writer.Bool(false);                                      // C order, not Fortran
        writer.Bytes(tensor.bytes);
        writer.Tuple();
        writer.Build();
    }

    /// <summary><c>numpy.dtype(code, False, True)</c> + BUILD <c>(3, '&lt;', None, None, None, -1, -1, 0)</c>.</summary>
    private static void WriteDtype(PickleWriter writer, string code)
    {
        writer.Global("numpy", "dtype");
        writer.Mark(); writer.Unicode(code); writer.Bool(false); writer.Bool(true); writer.Tuple();
        writer.Reduce();
        writer.Mark();
        writer.Int(3); writer.Unicode("<"); writer.None(); writer.None(); writer.None();
        writer.Int(-1); writer.Int(-1); writer.Int(0);
        writer.Tuple();
        writer.Build();
    }
}
