using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Interop;

/// <summary>Reading flat <c>torch.save</c> dicts written by the oracle scripts, and exact comparison.</summary>
internal static class TensorDicts
{
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var stream = File.OpenRead(path);
        var table = PyTorchUnpickler.UnpickleStateDict(stream);
        return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
    }

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var table = new Hashtable();
        foreach (var (k, v) in tensors) table[k] = v.detach().contiguous();
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, table);
    }

    /// <summary>Same keys, and bit-identical values with the same dtype and shape for every key.</summary>
    public static void AssertIdentical(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, e) in expected)
        {
            var a = actual[key];
            Assert.True(e.dtype == a.dtype, $"{key}: dtype {a.dtype}, expected {e.dtype}");
            Assert.True(e.shape.SequenceEqual(a.shape), $"{key}: shape [{string.Join(",", a.shape)}], expected [{string.Join(",", e.shape)}]");
            Assert.True(e.eq(a).all().item<bool>(), $"{key}: values differ");
        }
    }
}
